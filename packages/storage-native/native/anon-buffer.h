// Large zero-filled ArrayBuffers backed by an anonymous mapping whose pages are populated up
// front: big decode outputs without paying a page fault per 4 KiB on first write.
#pragma once

#include <napi.h>

namespace deepwater {

void InitAnonBuffer(Napi::Env env, Napi::Object exports);

}  // namespace deepwater
