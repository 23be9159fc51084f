// futex(2) wait/wake on an int32 inside an ArrayBuffer. Shared (not FUTEX_PRIVATE) futexes, so
// a waiter in one process is woken by a writer in another through a MAP_SHARED mapping.
#pragma once

#include <napi.h>

namespace deepwater {

void InitFutex(Napi::Env env, Napi::Object exports);

}  // namespace deepwater
