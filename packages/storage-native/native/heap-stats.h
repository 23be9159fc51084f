// The C heap's own accounting (glibc mallinfo2), for leak checks that RSS cannot make: RSS also
// counts memory malloc has freed but keeps, which grows with fragmentation and says nothing of leaks.
#pragma once

#include <napi.h>

namespace deepwater {

void InitHeapStats(Napi::Env env, Napi::Object exports);

}  // namespace deepwater
