// Opening a file or shm object that may have to be created, knowing whether this call created it:
// a requested mode is then applied with fchmod, so it holds whatever the process umask is, and
// only to an object we created (never to somebody else's file).
#pragma once

#include <napi.h>
#include <sys/types.h>

#include <string>

namespace deepwater {

using Opener = int (*)(const char* path, int flags, mode_t mode);

// The system open(2) as an Opener (open is variadic, so it cannot be passed directly).
int OpenPath(const char* path, int flags, mode_t mode);

struct OpenedFile {
  int fd;
  bool created;
};

// Opens `path` with `flags`. With O_CREAT (and without O_EXCL) the file is first created
// exclusively and, if it exists, opened without O_CREAT, so `created` is exact. Returns fd -1
// with errno set on failure.
OpenedFile OpenMaybeCreating(Opener opener, const std::string& path, int flags, mode_t createMode);

// A permission mode argument: undefined yields -1 ("the default, subject to the umask"), else an
// integer in 0..0777 (no setuid/setgid/sticky bits).
int ModeArg(const Napi::CallbackInfo& info, size_t index);

// Applies `mode` to a descriptor this call created; closes it and throws on failure.
void ApplyCreateMode(Napi::Env env, int fd, int mode, const std::string& path);

}  // namespace deepwater
