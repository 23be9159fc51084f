#include "clock.h"

#include <time.h>

#include <cstdint>

namespace deepwater {

namespace {

struct timespec RealtimeNow() {
  struct timespec now;
  clock_gettime(CLOCK_REALTIME, &now);
  return now;
}

// Microseconds since the epoch stay below 2^53 until the year 2255, so a double is exact.
Napi::Value NowMicros(const Napi::CallbackInfo& info) {
  const struct timespec now = RealtimeNow();
  const int64_t micros = static_cast<int64_t>(now.tv_sec) * 1000000 + now.tv_nsec / 1000;
  return Napi::Number::New(info.Env(), static_cast<double>(micros));
}

Napi::Value NowNanos(const Napi::CallbackInfo& info) {
  const struct timespec now = RealtimeNow();
  const int64_t nanos = static_cast<int64_t>(now.tv_sec) * 1000000000 + now.tv_nsec;
  return Napi::BigInt::New(info.Env(), nanos);
}

}  // namespace

void InitClock(Napi::Env env, Napi::Object exports) {
  exports.Set("nowMicros", Napi::Function::New<NowMicros>(env, "nowMicros"));
  exports.Set("nowNanos", Napi::Function::New<NowNanos>(env, "nowNanos"));
}

}  // namespace deepwater
