#include "open-file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>

#include "errors.h"

namespace deepwater {

namespace {

// An object created and unlinked by someone else this many times in a row is a fight we lose.
constexpr int MAX_OPEN_ATTEMPTS = 64;

}  // namespace

int OpenPath(const char* path, int flags, mode_t mode) { return open(path, flags, mode); }

OpenedFile OpenMaybeCreating(Opener opener, const std::string& path, int flags, mode_t createMode) {
  if ((flags & O_CREAT) == 0) return {opener(path.c_str(), flags, 0), false};
  if ((flags & O_EXCL) != 0) {
    const int fd = opener(path.c_str(), flags, createMode);
    return {fd, fd >= 0};
  }
  for (int attempt = 0; attempt < MAX_OPEN_ATTEMPTS; attempt++) {
    int fd = opener(path.c_str(), flags | O_EXCL, createMode);
    if (fd >= 0) return {fd, true};
    if (errno != EEXIST) return {-1, false};
    fd = opener(path.c_str(), flags & ~O_CREAT, 0);
    if (fd >= 0 || errno != ENOENT) return {fd, false};
    // Unlinked between the two opens: try creating it again.
  }
  errno = EAGAIN;
  return {-1, false};
}

int ModeArg(const Napi::CallbackInfo& info, size_t index) {
  const Napi::Value value = info[index];
  if (value.IsUndefined()) return -1;
  if (!value.IsNumber()) ThrowTypeError(info.Env(), "mode must be a number");
  const double mode = value.As<Napi::Number>().DoubleValue();
  if (!(mode >= 0 && mode <= 0777) || mode != static_cast<double>(static_cast<int>(mode))) {
    ThrowRangeError(info.Env(), "mode must be an integer permission mode in 0..0o777");
  }
  return static_cast<int>(mode);
}

void ApplyCreateMode(Napi::Env env, int fd, int mode, const std::string& path) {
  if (mode < 0) return;
  if (fchmod(fd, static_cast<mode_t>(mode)) != 0) {
    const int err = errno;
    close(fd);
    ThrowNativeError(env, "fchmod", err, path);
  }
}

}  // namespace deepwater
