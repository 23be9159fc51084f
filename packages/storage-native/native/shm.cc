#include "shm.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>

#include "errors.h"
#include "mapping.h"
#include "open-file.h"

namespace deepwater {

namespace {

// Longest name we accept after the leading '/'; NAME_MAX (255) bounds the /dev/shm entry.
constexpr size_t SHM_NAME_MAX_LENGTH = 250;

// Returns "/name" for "name" or "/name"; src/shm.ts validates with friendlier messages first,
// this is the last line of defence before a syscall sees the string.
std::string ShmNameArg(const Napi::CallbackInfo& info, size_t index) {
  std::string name = StringArg(info, index, "name");
  if (name[0] != '/') name.insert(0, "/");
  const size_t length = name.size() - 1;
  if (length == 0 || length > SHM_NAME_MAX_LENGTH || name.find('/', 1) != std::string::npos || name == "/." ||
      name == "/..") {
    ThrowTypeError(info.Env(), "Invalid shared memory name \"" + name +
                                   "\": expected 1.." + std::to_string(SHM_NAME_MAX_LENGTH) +
                                   " characters with no '/' after an optional leading one");
  }
  return name;
}

std::string ShmPath(const std::string& name) { return "/dev/shm" + name; }

int OpenShmObject(const char* name, int flags, mode_t mode) { return shm_open(name, flags, mode); }

// Refuses an object another user owns before anything about it is trusted or changed.
void CheckOwner(Napi::Env env, int fd, const std::string& path) {
  struct stat st;
  if (fstat(fd, &st) != 0) {
    const int err = errno;
    close(fd);
    ThrowNativeError(env, "fstat", err, path);
  }
  const uid_t me = geteuid();
  if (st.st_uid == me) return;
  close(fd);
  ThrowNativeError(env, "open", EPERM, path,
                   "owned by uid " + std::to_string(st.st_uid) + ", not by this process (uid " +
                       std::to_string(me) + ")");
}

// openShm(name, size | undefined, create, exclusive, readOnly, mode | undefined, mustOwn)
Napi::Value OpenShm(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const std::string name = ShmNameArg(info, 0);
  MapRequest request{ShmPath(name), MappingKind::Shm, OffsetArg(info, 1, "size", 0), BoolArg(info, 2, "create"),
                     BoolArg(info, 4, "readOnly")};
  const bool exclusive = BoolArg(info, 3, "exclusive");
  const int mode = ModeArg(info, 5);
  const bool mustOwn = BoolArg(info, 6, "mustOwn");
  if (request.create && request.readOnly) ThrowTypeError(env, "create and readOnly cannot be combined");
  if (exclusive && !request.create) ThrowTypeError(env, "exclusive requires create: true");

  int flags = (request.readOnly ? O_RDONLY : O_RDWR) | O_CLOEXEC;
  if (request.create) flags |= O_CREAT;
  if (exclusive) flags |= O_EXCL;
  const OpenedFile object = OpenMaybeCreating(OpenShmObject, name, flags, mode < 0 ? 0644 : mode);
  if (object.fd < 0) ThrowNativeError(env, "shm_open", errno, request.path);
  if (!object.created) {
    if (mustOwn) CheckOwner(env, object.fd, request.path);
    return MapDescriptor(env, object.fd, request);
  }
  if (!exclusive) {
    ApplyCreateMode(env, object.fd, mode, request.path);
    return MapDescriptor(env, object.fd, request);
  }
  try {
    ApplyCreateMode(env, object.fd, mode, request.path);
    return MapDescriptor(env, object.fd, request);
  } catch (...) {
    // We created this object ourselves, so a failure to size or map it must not leave it behind.
    shm_unlink(name.c_str());
    throw;
  }
}

Napi::Value UnlinkShm(const Napi::CallbackInfo& info) {
  const std::string name = ShmNameArg(info, 0);
  if (shm_unlink(name.c_str()) == 0) return Napi::Boolean::New(info.Env(), true);
  if (errno == ENOENT) return Napi::Boolean::New(info.Env(), false);
  ThrowNativeError(info.Env(), "shm_unlink", errno, ShmPath(name));
}

Napi::Value ShmExists(const Napi::CallbackInfo& info) {
  const std::string name = ShmNameArg(info, 0);
  const int fd = shm_open(name.c_str(), O_RDONLY | O_CLOEXEC, 0);
  if (fd >= 0) {
    close(fd);
    return Napi::Boolean::New(info.Env(), true);
  }
  if (errno == ENOENT) return Napi::Boolean::New(info.Env(), false);
  if (errno == EACCES) return Napi::Boolean::New(info.Env(), true);  // it exists, we just may not open it
  ThrowNativeError(info.Env(), "shm_open", errno, ShmPath(name));
}

}  // namespace

void InitShm(Napi::Env env, Napi::Object exports) {
  exports.Set("openShm", Napi::Function::New<OpenShm>(env, "openShm"));
  exports.Set("unlinkShm", Napi::Function::New<UnlinkShm>(env, "unlinkShm"));
  exports.Set("shmExists", Napi::Function::New<ShmExists>(env, "shmExists"));
}

}  // namespace deepwater
