// POSIX shared memory objects (shm_open, under /dev/shm) mapped like files.
#pragma once

#include <napi.h>

namespace deepwater {

void InitShm(Napi::Env env, Napi::Object exports);

}  // namespace deepwater
