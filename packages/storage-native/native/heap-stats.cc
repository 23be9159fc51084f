#include "heap-stats.h"

#if defined(__GLIBC__)
#include <malloc.h>
#endif

namespace deepwater {

namespace {

// Returns { inUseBytes, freeBytes, mmappedBytes }, or undefined where the C library has no
// mallinfo2 (musl, glibc < 2.33).
Napi::Value MallocStats(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
#if defined(__GLIBC__) && (__GLIBC__ > 2 || (__GLIBC__ == 2 && __GLIBC_MINOR__ >= 33))
  const struct mallinfo2 stats = mallinfo2();
  Napi::Object result = Napi::Object::New(env);
  // uordblks: bytes in chunks handed out from the arenas; hblkhd: bytes in chunks malloc mapped
  // on their own (large allocations). Both are memory the program still holds.
  result.Set("inUseBytes", Napi::Number::New(env, static_cast<double>(stats.uordblks + stats.hblkhd)));
  result.Set("freeBytes", Napi::Number::New(env, static_cast<double>(stats.fordblks)));
  result.Set("mmappedBytes", Napi::Number::New(env, static_cast<double>(stats.hblkhd)));
  return result;
#else
  return env.Undefined();
#endif
}

}  // namespace

void InitHeapStats(Napi::Env env, Napi::Object exports) {
  exports.Set("mallocStats", Napi::Function::New<MallocStats>(env, "mallocStats"));
}

}  // namespace deepwater
