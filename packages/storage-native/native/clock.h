// Wall-clock timestamps for records (CLOCK_REALTIME), as a number of µs or a bigint of ns.
#pragma once

#include <napi.h>

namespace deepwater {

void InitClock(Napi::Env env, Napi::Object exports);

}  // namespace deepwater
