#include "lock.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <thread>

#include "addon-data.h"
#include "errors.h"
#include "open-file.h"

namespace deepwater {

namespace {

// A holder writes its pid right after taking the lock; lockHolder() re-reads for this long
// before concluding that the holder recorded none.
constexpr auto PID_RECORD_GRACE = std::chrono::milliseconds(100);

const napi_type_tag LOCK_EXTERNAL_TAG = {0x6465657077617465ULL, 0x4c6f636b46643031ULL};

struct flock WholeFileLock(short type) {
  struct flock lock = {};
  lock.l_type = type;
  lock.l_whence = SEEK_SET;
  lock.l_start = 0;
  lock.l_len = 0;  // to the end of the file, however long it grows
  lock.l_pid = 0;  // required to be 0 for OFD locks
  return lock;
}

[[noreturn]] void CloseAndThrow(Napi::Env env, int fd, const char* syscall, const std::string& path) {
  const int err = errno;
  close(fd);
  ThrowNativeError(env, syscall, err, path);
}

void RecordPid(Napi::Env env, int fd, const std::string& path) {
  const std::string text = std::to_string(getpid()) + "\n";
  if (ftruncate(fd, 0) != 0) CloseAndThrow(env, fd, "ftruncate", path);
  if (pwrite(fd, text.data(), text.size(), 0) != static_cast<ssize_t>(text.size())) {
    CloseAndThrow(env, fd, "write", path);
  }
}

// 0 when the file holds no complete pid line yet.
long ReadRecordedPid(int fd) {
  char text[32] = {};
  const ssize_t length = pread(fd, text, sizeof(text) - 1, 0);
  if (length <= 0 || text[length - 1] != '\n') return 0;
  char* end = nullptr;
  const long pid = std::strtol(text, &end, 10);
  return (end != text && *end == '\n' && pid > 0) ? pid : 0;
}

Napi::Value TryLockFile(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const std::string path = StringArg(info, 0, "path");
  const bool noFollow = BoolArg(info, 1, "noFollow");
  const int mode = ModeArg(info, 2);
  const int flags = O_RDWR | O_CREAT | O_CLOEXEC | O_NOCTTY | O_NONBLOCK | (noFollow ? O_NOFOLLOW : 0);
  const OpenedFile file = OpenMaybeCreating(OpenPath, path, flags, mode < 0 ? 0644 : mode);
  if (file.fd < 0) {
    if (noFollow && errno == ELOOP) {
      ThrowNativeError(env, "open", ELOOP, path, "it is a symbolic link, and noFollow was given");
    }
    ThrowNativeError(env, "open", errno, path);
  }
  const int fd = file.fd;
  if (file.created) ApplyCreateMode(env, fd, mode, path);
  struct stat st;
  if (fstat(fd, &st) != 0) CloseAndThrow(env, fd, "fstat", path);
  if (!S_ISREG(st.st_mode)) {
    close(fd);
    ThrowNativeError(env, "open", S_ISDIR(st.st_mode) ? EISDIR : EINVAL, path, "a lock file must be a regular file");
  }

  struct flock lock = WholeFileLock(F_WRLCK);
  if (fcntl(fd, F_OFD_SETLK, &lock) != 0) {
    if (errno == EAGAIN || errno == EACCES) {
      close(fd);
      return env.Null();
    }
    CloseAndThrow(env, fd, "fcntl", path);
  }
  RecordPid(env, fd, path);

  auto external = Napi::External<int>::New(env, nullptr);
  external.TypeTag(&LOCK_EXTERNAL_TAG);
  return GetAddonData(env).fileLockHandleClass.New({external, Napi::Number::New(env, fd), Napi::String::New(env, path)});
}

Napi::Value LockHolder(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const std::string path = StringArg(info, 0, "path");
  const int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
  if (fd < 0) {
    if (errno == ENOENT) return env.Null();
    ThrowNativeError(env, "open", errno, path);
  }
  // Probing with a write lock reports any holder; OFD probes see locks held by other handles
  // in this very process too.
  struct flock probe = WholeFileLock(F_WRLCK);
  if (fcntl(fd, F_OFD_GETLK, &probe) != 0) CloseAndThrow(env, fd, "fcntl", path);
  if (probe.l_type == F_UNLCK) {
    close(fd);
    return env.Null();
  }
  const auto deadline = std::chrono::steady_clock::now() + PID_RECORD_GRACE;
  long pid = ReadRecordedPid(fd);
  while (pid == 0 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
    pid = ReadRecordedPid(fd);
  }
  close(fd);
  // A classic POSIX lock reports its owner's pid; an OFD lock reports -1.
  if (pid == 0 && probe.l_pid > 0) pid = probe.l_pid;
  return Napi::Number::New(env, static_cast<double>(pid));
}

}  // namespace

Napi::Function FileLockHandle::DefineClass(Napi::Env env) {
  return ObjectWrap<FileLockHandle>::DefineClass(env, "FileLockHandle",
                                                 {
                                                     InstanceAccessor<&FileLockHandle::Released>("released"),
                                                     InstanceMethod<&FileLockHandle::Release>("release"),
                                                 });
}

FileLockHandle::FileLockHandle(const Napi::CallbackInfo& info) : Napi::ObjectWrap<FileLockHandle>(info) {
  if (!info[0].IsExternal() || !info[0].As<Napi::External<int>>().CheckTypeTag(&LOCK_EXTERNAL_TAG)) {
    ThrowTypeError(info.Env(), "FileLockHandle cannot be constructed directly; use tryLockFile()");
  }
  fd_ = info[1].As<Napi::Number>().Int32Value();
  path_ = info[2].As<Napi::String>().Utf8Value();
}

Napi::Value FileLockHandle::Released(const Napi::CallbackInfo& info) { return Napi::Boolean::New(info.Env(), fd_ < 0); }

void FileLockHandle::Release(const Napi::CallbackInfo&) {
  if (fd_ < 0) return;
  // Clear the pid while still holding the lock, so nobody reads a stale holder afterwards.
  if (ftruncate(fd_, 0) != 0) {
    // Nothing to recover: closing the descriptor below still releases the lock.
  }
  close(fd_);  // closing the last descriptor of the open file description drops the OFD lock
  fd_ = -1;
}

void InitLock(Napi::Env env, Napi::Object exports) {
  GetAddonData(env).fileLockHandleClass = Napi::Persistent(FileLockHandle::DefineClass(env));
  exports.Set("tryLockFile", Napi::Function::New<TryLockFile>(env, "tryLockFile"));
  exports.Set("lockHolder", Napi::Function::New<LockHolder>(env, "lockHolder"));
}

}  // namespace deepwater
