#include "space.h"

#include <fcntl.h>
#include <linux/magic.h>
#include <sys/statfs.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "errors.h"

namespace deepwater {

namespace {

// 0 or an errno; EINTR (a signal during a long allocation) is retried.
int Fallocate(int fd, uint64_t size) {
  while (fallocate(fd, 0, 0, static_cast<off_t>(size)) != 0) {
    if (errno != EINTR) return errno;
  }
  return 0;
}

bool Unsupported(int err) { return err == EOPNOTSUPP || err == ENOSYS; }

// st_blocks counts 512-byte units actually allocated; fewer than the size needs means holes.
bool HasHoles(const struct stat& st, uint64_t size) {
  return static_cast<uint64_t>(st.st_blocks) * 512 < size;
}

bool OnTmpfs(int fd) {
  struct statfs fs;
  return fstatfs(fd, &fs) == 0 && static_cast<unsigned long>(fs.f_type) == TMPFS_MAGIC;
}

[[noreturn]] void ThrowNoSpace(Napi::Env env, int err, uint64_t size, const std::string& path,
                               const std::string& why) {
  ThrowNativeError(env, "fallocate", err, path,
                   std::string(strerror(err)) + ": cannot reserve " + std::to_string(size) + " bytes" + why);
}

}  // namespace

void ReserveForMapping(Napi::Env env, int fd, const struct stat& st, uint64_t size, bool readOnly, bool grow,
                       const std::string& path) {
  const uint64_t fileSize = static_cast<uint64_t>(st.st_size);
  if (!readOnly) {
    const int err = Fallocate(fd, size);
    if (err == 0) return;
    if (!Unsupported(err)) ThrowNoSpace(env, err, size, path, "");
    if (grow && size > fileSize && ftruncate(fd, static_cast<off_t>(size)) != 0) {
      ThrowNativeError(env, "ftruncate", errno, path);
    }
    return;
  }
  if (!HasHoles(st, size) || !OnTmpfs(fd)) return;
  const int writable = open(path.c_str(), O_WRONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
  if (writable < 0) {
    ThrowNoSpace(env, errno, size, path,
                 " (the file is sparse on tmpfs, where reading a hole allocates memory, and cannot be "
                 "opened for writing to fill it)");
  }
  // Only a hole inside the part this reader maps matters, and fallocate never changes data.
  const int err = Fallocate(writable, size);
  close(writable);
  if (err != 0 && !Unsupported(err)) {
    ThrowNoSpace(env, err, size, path, " (the file is sparse on tmpfs, where reading a hole allocates memory)");
  }
}

}  // namespace deepwater
