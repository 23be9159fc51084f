// Field gather: fixed-width records (row-major, e.g. a mapped chunk) into per-field columns in one
// native pass. The JS fill it replaces ran at half the speed of the same loop in C.
#pragma once

#include <napi.h>

namespace deepwater {

void InitGather(Napi::Env env, Napi::Object exports);

}  // namespace deepwater
