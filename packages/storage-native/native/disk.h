// Durability and capacity of the filesystem: fsync of paths/descriptors, statvfs.
#pragma once

#include <napi.h>

namespace deepwater {

void InitDisk(Napi::Env env, Napi::Object exports);

}  // namespace deepwater
