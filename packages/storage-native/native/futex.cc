#include "futex.h"

#include <linux/futex.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cmath>
#include <cstdint>

#include "errors.h"
#include "region.h"

namespace deepwater {

namespace {

enum class WaitResult { Ok, TimedOut, NotEqual };

const char* WaitResultName(WaitResult result) {
  switch (result) {
    case WaitResult::Ok:
      return "ok";
    case WaitResult::TimedOut:
      return "timed-out";
    case WaitResult::NotEqual:
      return "not-equal";
  }
  return "ok";
}

struct FutexWord {
  uint32_t* address;
  void* base;  // the buffer's first byte: a mapping's buffer starts at its Region
  Napi::ArrayBuffer buffer;
};

// The aligned int32 at buffer[byteOffset], validated before anything touches memory.
FutexWord WordArgs(const Napi::CallbackInfo& info, const char* operation) {
  Napi::Env env = info.Env();
  if (!info[0].IsArrayBuffer()) {
    ThrowTypeError(env, std::string(operation) + ": buffer must be an ArrayBuffer (e.g. mapping.buffer)");
  }
  Napi::ArrayBuffer buffer = info[0].As<Napi::ArrayBuffer>();
  const uint64_t offset = OffsetArg(info, 1, "byteOffset", UINT64_MAX);
  if (offset == UINT64_MAX) ThrowTypeError(env, std::string(operation) + ": byteOffset is required");
  if (offset % 4 != 0) {
    ThrowRangeError(env, std::string(operation) + ": byteOffset " + std::to_string(offset) +
                             " is not 4-byte aligned (a futex word is an aligned int32)");
  }
  const size_t length = buffer.ByteLength();  // 0 once detached
  if (offset + 4 > length) {
    ThrowRangeError(env, std::string(operation) + ": byteOffset " + std::to_string(offset) +
                             " + 4 exceeds the buffer (" + std::to_string(length) + " bytes" +
                             (buffer.IsDetached() ? ", detached" : "") + ")");
  }
  void* base = buffer.Data();
  return {reinterpret_cast<uint32_t*>(static_cast<char*>(base) + offset), base, buffer};
}

// Accepts the int32 or uint32 spelling of the same 32 bits (Int32Array vs Uint32Array users).
uint32_t ExpectedArg(const Napi::CallbackInfo& info, size_t index, const char* operation) {
  if (!info[index].IsNumber()) ThrowTypeError(info.Env(), std::string(operation) + ": expected must be a number");
  const double value = info[index].As<Napi::Number>().DoubleValue();
  if (!std::isfinite(value) || std::floor(value) != value || value < INT32_MIN || value > UINT32_MAX) {
    ThrowRangeError(info.Env(), std::string(operation) + ": expected must be a 32-bit integer, got " +
                                    Napi::Value(info[index]).ToString().Utf8Value());
  }
  return value < 0 ? static_cast<uint32_t>(static_cast<int32_t>(value)) : static_cast<uint32_t>(value);
}

// Nanoseconds; -1 waits forever.
int64_t TimeoutArg(const Napi::CallbackInfo& info, size_t index, const char* operation) {
  if (!info[index].IsNumber()) ThrowTypeError(info.Env(), std::string(operation) + ": timeoutMs must be a number");
  const double ms = info[index].As<Napi::Number>().DoubleValue();
  if (std::isnan(ms)) ThrowRangeError(info.Env(), std::string(operation) + ": timeoutMs must not be NaN");
  if (ms < 0 || ms == INFINITY) return -1;
  const double ns = ms * 1e6;
  return ns >= 9.2e18 ? -1 : static_cast<int64_t>(ns);
}

int64_t MonotonicNanos() {
  struct timespec now;
  clock_gettime(CLOCK_MONOTONIC, &now);
  return static_cast<int64_t>(now.tv_sec) * 1000000000 + now.tv_nsec;
}

// Blocks until woken, the timeout passes, or the word differs from `expected`. On failure returns
// an errno through `error` (EFAULT if the address is not mapped).
WaitResult Wait(uint32_t* address, uint32_t expected, int64_t timeoutNs, int* error) {
  const int64_t deadline = timeoutNs < 0 ? 0 : MonotonicNanos() + timeoutNs;
  for (;;) {
    struct timespec remaining;
    struct timespec* timeout = nullptr;
    if (timeoutNs >= 0) {
      // Even with no time left the kernel is asked once: it compares the word first, so a
      // zero timeout still reports 'not-equal' rather than 'timed-out'.
      const int64_t left = std::max<int64_t>(0, deadline - MonotonicNanos());
      remaining.tv_sec = left / 1000000000;
      remaining.tv_nsec = left % 1000000000;
      timeout = &remaining;
    }
    if (syscall(SYS_futex, address, FUTEX_WAIT, expected, timeout, nullptr, 0) == 0) return WaitResult::Ok;
    switch (errno) {
      case EAGAIN:
        return WaitResult::NotEqual;
      case ETIMEDOUT:
        return WaitResult::TimedOut;
      case EINTR:
        continue;  // a signal is not a wake: wait again for what is left
      default:
        *error = errno;
        return WaitResult::Ok;
    }
  }
}

Napi::Value FutexWait(const Napi::CallbackInfo& info) {
  const FutexWord word = WordArgs(info, "futexWait");
  const uint32_t expected = ExpectedArg(info, 2, "futexWait");
  const int64_t timeoutNs = TimeoutArg(info, 3, "futexWait");
  int error = 0;
  const WaitResult result = Wait(word.address, expected, timeoutNs, &error);
  if (error != 0) ThrowNativeError(info.Env(), "futex", error, "");
  return Napi::String::New(info.Env(), WaitResultName(result));
}

class FutexWaitWorker : public Napi::AsyncWorker {
 public:
  FutexWaitWorker(Napi::Env env, const FutexWord& word, uint32_t expected, int64_t timeoutNs)
      : Napi::AsyncWorker(env, "deepwater:futexWait"),
        deferred_(Napi::Promise::Deferred::New(env)),
        // Holding the ArrayBuffer keeps a plain buffer's memory alive; pinning the Region
        // keeps a mapping's memory mapped even if close() is called while we sleep.
        bufferReference_(Napi::Persistent(word.buffer)),
        pin_(Region::Find(word.base)),
        address_(word.address),
        expected_(expected),
        timeoutNs_(timeoutNs) {}

  Napi::Promise Promise() const { return deferred_.Promise(); }

  void Execute() override {
    result_ = Wait(address_, expected_, timeoutNs_, &error_);
    pin_.Release();
  }

  void OnOK() override {
    if (error_ != 0) {
      deferred_.Reject(MakeNativeError(Env(), "futex", error_, "").Value());
    } else {
      deferred_.Resolve(Napi::String::New(Env(), WaitResultName(result_)));
    }
  }

  void OnError(const Napi::Error& error) override { deferred_.Reject(error.Value()); }

 private:
  Napi::Promise::Deferred deferred_;
  Napi::Reference<Napi::ArrayBuffer> bufferReference_;
  RegionPin pin_;
  uint32_t* address_;
  uint32_t expected_;
  int64_t timeoutNs_;
  WaitResult result_ = WaitResult::Ok;
  int error_ = 0;
};

Napi::Value FutexWaitAsync(const Napi::CallbackInfo& info) {
  const FutexWord word = WordArgs(info, "futexWaitAsync");
  const uint32_t expected = ExpectedArg(info, 2, "futexWaitAsync");
  const int64_t timeoutNs = TimeoutArg(info, 3, "futexWaitAsync");
  auto* worker = new FutexWaitWorker(info.Env(), word, expected, timeoutNs);
  Napi::Promise promise = worker->Promise();
  worker->Queue();
  return promise;
}

Napi::Value FutexWake(const Napi::CallbackInfo& info) {
  const FutexWord word = WordArgs(info, "futexWake");
  int count = INT_MAX;
  if (!info[2].IsUndefined()) {
    if (!info[2].IsNumber()) ThrowTypeError(info.Env(), "futexWake: count must be a number");
    const double value = info[2].As<Napi::Number>().DoubleValue();
    if (std::isnan(value) || value < 0 || (std::isfinite(value) && std::floor(value) != value)) {
      ThrowRangeError(info.Env(), "futexWake: count must be a non-negative integer, got " +
                                      Napi::Value(info[2]).ToString().Utf8Value());
    }
    count = value >= INT_MAX ? INT_MAX : static_cast<int>(value);
  }
  const long woken = syscall(SYS_futex, word.address, FUTEX_WAKE, count, nullptr, nullptr, 0);
  if (woken < 0) ThrowNativeError(info.Env(), "futex", errno, "");
  return Napi::Number::New(info.Env(), static_cast<double>(woken));
}

}  // namespace

void InitFutex(Napi::Env env, Napi::Object exports) {
  exports.Set("futexWait", Napi::Function::New<FutexWait>(env, "futexWait"));
  exports.Set("futexWaitAsync", Napi::Function::New<FutexWaitAsync>(env, "futexWaitAsync"));
  exports.Set("futexWake", Napi::Function::New<FutexWake>(env, "futexWake"));
}

}  // namespace deepwater
