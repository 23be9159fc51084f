#include "disk.h"

#include <fcntl.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <cerrno>
#include <cmath>

#include "errors.h"

namespace deepwater {

namespace {

// Directories too: fsync on a directory makes a create/rename/unlink inside it durable.
void FsyncPath(const Napi::CallbackInfo& info) {
  const std::string path = StringArg(info, 0, "path");
  const int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
  if (fd < 0) ThrowNativeError(info.Env(), "open", errno, path);
  if (fsync(fd) != 0) {
    const int err = errno;
    close(fd);
    ThrowNativeError(info.Env(), "fsync", err, path);
  }
  close(fd);
}

void FsyncFd(const Napi::CallbackInfo& info) {
  if (!info[0].IsNumber()) ThrowTypeError(info.Env(), "fsyncFd: fd must be a number");
  const double fd = info[0].As<Napi::Number>().DoubleValue();
  if (!std::isfinite(fd) || fd < 0 || fd > INT32_MAX || std::floor(fd) != fd) {
    ThrowRangeError(info.Env(), "fsyncFd: fd must be a non-negative integer, got " +
                                    Napi::Value(info[0]).ToString().Utf8Value());
  }
  if (fsync(static_cast<int>(fd)) != 0) ThrowNativeError(info.Env(), "fsync", errno, "");
}

Napi::Value DiskSpace(const Napi::CallbackInfo& info) {
  const std::string path = StringArg(info, 0, "path");
  struct statvfs stats;
  if (statvfs(path.c_str(), &stats) != 0) ThrowNativeError(info.Env(), "statvfs", errno, path);
  const double blockSize = static_cast<double>(stats.f_frsize);
  Napi::Object result = Napi::Object::New(info.Env());
  result.Set("totalBytes", blockSize * static_cast<double>(stats.f_blocks));
  result.Set("freeBytes", blockSize * static_cast<double>(stats.f_bfree));
  result.Set("availableBytes", blockSize * static_cast<double>(stats.f_bavail));
  return result;
}

}  // namespace

void InitDisk(Napi::Env env, Napi::Object exports) {
  exports.Set("fsyncPath", Napi::Function::New<FsyncPath>(env, "fsyncPath"));
  exports.Set("fsyncFd", Napi::Function::New<FsyncFd>(env, "fsyncFd"));
  exports.Set("diskSpace", Napi::Function::New<DiskSpace>(env, "diskSpace"));
}

}  // namespace deepwater
