// Reserving real blocks for a mapping before it is used, so that a full disk or /dev/shm is an
// ENOSPC error at open instead of SIGBUS on the first store to a page that cannot be allocated.
#pragma once

#include <napi.h>
#include <sys/stat.h>

#include <cstdint>
#include <string>

namespace deepwater {

// For a writable mapping: allocates [0, size) with fallocate (growing the file to `size` when
// `grow`), so no store into the mapping can fault for lack of space. Blocks that already exist
// cost nothing, so files left sparse by older versions are completed here too. File systems
// without fallocate (EOPNOTSUPP) keep the old behaviour: ftruncate, pages allocated on first write.
//
// For a read-only mapping on tmpfs, where even a READ fault on a hole allocates a page, a file
// with holes is reserved through a second, writable descriptor; if that is impossible (no write
// permission, no space) it throws, rather than let a later read raise SIGBUS. Other file systems
// read holes as zeros from the page cache without allocating, so nothing is needed there.
//
// Throws NativeError (syscall 'fallocate', code ENOSPC/EDQUOT/...) naming the path.
void ReserveForMapping(Napi::Env env, int fd, const struct stat& st, uint64_t size, bool readOnly, bool grow,
                       const std::string& path);

}  // namespace deepwater
