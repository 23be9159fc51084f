// Exclusive file locks with open-file-description (OFD) semantics: per handle, not per process,
// and released by the kernel when the holder dies, even by SIGKILL.
#pragma once

#include <napi.h>

#include <string>

namespace deepwater {

class FileLockHandle : public Napi::ObjectWrap<FileLockHandle> {
 public:
  static Napi::Function DefineClass(Napi::Env env);
  explicit FileLockHandle(const Napi::CallbackInfo& info);
  // Deliberately does NOT release: a lock lost to garbage collection would silently let a
  // second writer in. An unreleased lock is held until release() or process exit.
  ~FileLockHandle() override = default;

 private:
  Napi::Value Released(const Napi::CallbackInfo& info);
  void Release(const Napi::CallbackInfo& info);

  int fd_ = -1;
  std::string path_;
};

void InitLock(Napi::Env env, Napi::Object exports);

}  // namespace deepwater
