// MappingHandle — the native side of a Mapping: owns one Region, hands out exactly one external
// ArrayBuffer over it, and detaches that buffer before the memory is unmapped.
#pragma once

#include <napi.h>

#include <memory>
#include <string>

#include "region.h"

namespace deepwater {

enum class MappingKind { File, Shm };

struct MapRequest {
  std::string path;      // shown in errors; for shm: /dev/shm/<name>
  MappingKind kind;
  uint64_t size;         // 0 = the whole file
  bool create;
  bool readOnly;
};

// Maps an open descriptor (always closed before returning or throwing) and wraps it in a
// MappingHandle JS object.
Napi::Object MapDescriptor(Napi::Env env, int fd, const MapRequest& request);

class MappingHandle : public Napi::ObjectWrap<MappingHandle> {
 public:
  static Napi::Function DefineClass(Napi::Env env);
  static Napi::Object Create(Napi::Env env, std::shared_ptr<Region> region);

  explicit MappingHandle(const Napi::CallbackInfo& info);
  ~MappingHandle() override;

 private:
  Napi::Value Buffer(const Napi::CallbackInfo& info);
  Napi::Value Size(const Napi::CallbackInfo& info);
  Napi::Value Closed(const Napi::CallbackInfo& info);
  void Msync(const Napi::CallbackInfo& info);
  Napi::Value MsyncAsync(const Napi::CallbackInfo& info);
  // madvise(MADV_POPULATE_WRITE) on the threadpool: page faults (and a file system's block
  // allocation) taken ahead of the writer instead of on its first store to each page.
  Napi::Value PrefaultAsync(const Napi::CallbackInfo& info);
  // madvise(MADV_POPULATE_READ) on the threadpool: a reader's page tables filled ahead of it, off
  // its own thread, instead of a page fault per first touch (or a populate) on it.
  Napi::Value PopulateReadAsync(const Napi::CallbackInfo& info);
  void Madvise(const Napi::CallbackInfo& info);
  void Close(const Napi::CallbackInfo& info);

  void ThrowIfClosed(Napi::Env env, const char* operation) const;
  // [offset, offset + length) validated against the mapping, widened down to a page boundary.
  struct PageRange {
    char* start;
    size_t length;
  };
  PageRange RangeArgs(const Napi::CallbackInfo& info, size_t offsetIndex, const char* operation) const;

  std::shared_ptr<Region> region_;
  Napi::Reference<Napi::ArrayBuffer> buffer_;
  // Adds back what Buffer() subtracted from V8's external memory (see mapping.cc).
  void RestoreExternalAccounting(Napi::Env env);

  // The part of V8's count of buffer_ that Buffer() cancelled, until it is given back.
  int64_t cancelledExternalBytes_ = 0;
  bool closed_ = false;
};

void InitMapping(Napi::Env env, Napi::Object exports);

}  // namespace deepwater
