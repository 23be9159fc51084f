#include "mapping.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>

#include "addon-data.h"
#include "errors.h"
#include "external-buffer.h"
#include "open-file.h"
#include "space.h"

namespace deepwater {

namespace {

// What a mapping's ArrayBuffer adds to V8's external-memory count: nothing. V8 adds an external
// buffer's full length to that count when it creates the buffer and starts a full collection once
// the count is 64 MiB above its lowest point since the last one; chunk buffers of 64 MiB held by a
// reader grew it by 64 MiB each, and a replay paid a mark-compact per chunk over a heap full of
// decoded records. Mapped pages are page cache or tmpfs: collecting the buffer frees no memory,
// which is why V8 itself counts nothing for backing stores it cannot free (an empty deleter,
// shared ones); Node-API cannot create those. So Buffer() cancels V8's count: it subtracts the
// length (never more than the current count, which must not go negative) just before the buffer is
// created (at most kMaxCancelledBytes), and adds it back: in close() right after the detach, and
// in the destructor while buffer_ still keeps the buffer alive. V8 still compares each creation
// against the low point the subtraction set, plus Node's own 104 bytes per external buffer (Node
// 20): a buffer longer than 64 MiB - 104 bytes, a 64 MiB chunk's whole file and even its data area
// alone, still starts one full collection when it is created (why the sdk's chunks default to
// 63 MiB); the count no longer grows
// with every mapping held. Open mappings are bounded by their owners (the sdk's mapping budget),
// not by GC.

const napi_type_tag REGION_EXTERNAL_TAG = {0x6465657077617465ULL, 0x7252656769306e31ULL};

size_t PageSize() {
  static const size_t pageSize = static_cast<size_t>(sysconf(_SC_PAGESIZE));
  return pageSize;
}

void CloseQuietly(int fd) {
  const int saved = errno;
  close(fd);
  errno = saved;
}

#ifndef MADV_POPULATE_READ
#define MADV_POPULATE_READ 22  // Linux 5.14
#endif
#ifndef MADV_POPULATE_WRITE
#define MADV_POPULATE_WRITE 23  // Linux 5.14
#endif

// The operations a mapping runs on a libuv threadpool thread, off the caller's hot path.
enum class RangeOp { Msync, PopulateWrite, PopulateRead };

const char* RangeOpName(RangeOp op) {
  switch (op) {
    case RangeOp::Msync:
      return "msync";
    case RangeOp::PopulateWrite:
      return "madvise(MADV_POPULATE_WRITE)";
    case RangeOp::PopulateRead:
      return "madvise(MADV_POPULATE_READ)";
  }
  return "?";
}

class RangeWorker : public Napi::AsyncWorker {
 public:
  RangeWorker(Napi::Env env, std::shared_ptr<Region> region, char* start, size_t length, RangeOp op)
      : Napi::AsyncWorker(env, op == RangeOp::Msync ? "deepwater:msync" : "deepwater:prefault"),
        deferred_(Napi::Promise::Deferred::New(env)),
        path_(region->path()),
        pin_(std::move(region)),
        start_(start),
        length_(length),
        op_(op) {}

  Napi::Promise Promise() const { return deferred_.Promise(); }

  void Execute() override {
    if (!pin_.pinned()) {
      error_ = EBADF;
      return;
    }
    if (op_ == RangeOp::Msync) {
      if (msync(start_, length_, MS_SYNC) != 0) error_ = errno;
    } else {
      const int advice = op_ == RangeOp::PopulateWrite ? MADV_POPULATE_WRITE : MADV_POPULATE_READ;
      // EINVAL: a kernel before 5.14; the pages then fault in on first touch, as without it.
      if (madvise(start_, length_, advice) != 0 && errno != EINVAL) error_ = errno;
    }
    pin_.Release();
  }

  void OnOK() override {
    if (error_ != 0) {
      deferred_.Reject(MakeNativeError(Env(), RangeOpName(op_), error_, path_).Value());
    } else {
      deferred_.Resolve(Env().Undefined());
    }
  }

  void OnError(const Napi::Error& error) override { deferred_.Reject(error.Value()); }

 private:
  Napi::Promise::Deferred deferred_;
  std::string path_;
  RegionPin pin_;
  char* start_;
  size_t length_;
  RangeOp op_;
  int error_ = 0;
};

// The ArrayBuffer's reference to its Region: the memory stays mapped while JS can reach it.
void ReleaseRegionHint(napi_env, void*, void* hint) { delete static_cast<std::shared_ptr<Region>*>(hint); }

int AdviceFromName(Napi::Env env, const std::string& name) {
  if (name == "populate-read") return MADV_POPULATE_READ;
  if (name == "populate-write") return MADV_POPULATE_WRITE;
  if (name == "normal") return MADV_NORMAL;
  if (name == "random") return MADV_RANDOM;
  if (name == "sequential") return MADV_SEQUENTIAL;
  if (name == "willneed") return MADV_WILLNEED;
  if (name == "dontneed") return MADV_DONTNEED;
  if (name == "hugepage") return MADV_HUGEPAGE;
  if (name == "nohugepage") return MADV_NOHUGEPAGE;
  ThrowTypeError(env, "madvise: unknown advice \"" + name +
                          "\" (expected normal, random, sequential, willneed, dontneed, populate-read, "
                          "populate-write, hugepage or nohugepage)");
}

}  // namespace

Napi::Object MapDescriptor(Napi::Env env, int fd, const MapRequest& request) {
  struct stat st;
  if (fstat(fd, &st) != 0) {
    CloseQuietly(fd);
    ThrowNativeError(env, "fstat", errno, request.path);
  }
  if (S_ISDIR(st.st_mode)) {
    CloseQuietly(fd);
    ThrowNativeError(env, "open", EISDIR, request.path);
  }
  if (!S_ISREG(st.st_mode)) {
    CloseQuietly(fd);
    ThrowNativeError(env, "mmap", ENODEV, request.path, "not a regular file");
  }

  const uint64_t fileSize = static_cast<uint64_t>(st.st_size);
  uint64_t size = request.size;
  if (size == 0) {
    if (fileSize == 0) {
      CloseQuietly(fd);
      ThrowNativeError(env, "mmap", EINVAL, request.path,
                       "the file is empty; pass a size with create: true to grow it");
    }
    size = fileSize;
  } else if (size > fileSize && !request.create) {
    CloseQuietly(fd);
    // Touching a page past the end of the file raises SIGBUS, so never map past it.
    ThrowRangeError(env, "Cannot map " + std::to_string(size) + " bytes of '" + request.path + "': it has " +
                             std::to_string(fileSize) + " bytes (pass create: true to grow it)");
  }
  try {
    // Before anything grows: a length V8 cannot wrap must not leave a huge file or shm object.
    CheckExternalLength(env, size, request.path);
    // Grows the file (never shrinks it: truncating under another process's live mapping turns
    // its next access into SIGBUS) with real blocks, so a full disk is ENOSPC here, not SIGBUS later.
    ReserveForMapping(env, fd, st, size, request.readOnly, request.create, request.path);
  } catch (...) {
    CloseQuietly(fd);
    throw;
  }

  const int protection = request.readOnly ? PROT_READ : PROT_READ | PROT_WRITE;
  void* address = mmap(nullptr, static_cast<size_t>(size), protection, MAP_SHARED, fd, 0);
  const int mmapError = errno;
  close(fd);  // the mapping keeps its own reference to the file
  if (address == MAP_FAILED) ThrowNativeError(env, "mmap", mmapError, request.path);

  std::shared_ptr<Region> region;
  try {
    region = std::make_shared<Region>(address, static_cast<size_t>(size), request.path);
  } catch (const std::bad_alloc&) {
    // Near the process's mapping limit malloc fails too: an error, and the range is not leaked.
    munmap(address, static_cast<size_t>(size));
    ThrowNativeError(env, "malloc", ENOMEM, request.path);
  }
  Region::Register(region);
  return MappingHandle::Create(env, std::move(region));
}

Napi::Function MappingHandle::DefineClass(Napi::Env env) {
  return ObjectWrap<MappingHandle>::DefineClass(
      env, "MappingHandle",
      {
          InstanceAccessor<&MappingHandle::Size>("size"),
          InstanceAccessor<&MappingHandle::Closed>("closed"),
          InstanceMethod<&MappingHandle::Buffer>("buffer"),
          InstanceMethod<&MappingHandle::Msync>("msync"),
          InstanceMethod<&MappingHandle::MsyncAsync>("msyncAsync"),
          InstanceMethod<&MappingHandle::Madvise>("madvise"),
          InstanceMethod<&MappingHandle::PrefaultAsync>("prefaultAsync"),
          InstanceMethod<&MappingHandle::PopulateReadAsync>("populateReadAsync"),
          InstanceMethod<&MappingHandle::Close>("close"),
      });
}

Napi::Object MappingHandle::Create(Napi::Env env, std::shared_ptr<Region> region) {
  // The constructor copies the shared_ptr out synchronously, so a stack address is enough.
  auto external = Napi::External<std::shared_ptr<Region>>::New(env, &region);
  external.TypeTag(&REGION_EXTERNAL_TAG);
  return GetAddonData(env).mappingHandleClass.New({external});
}

MappingHandle::MappingHandle(const Napi::CallbackInfo& info) : Napi::ObjectWrap<MappingHandle>(info) {
  if (!info[0].IsExternal() || !info[0].As<Napi::External<std::shared_ptr<Region>>>().CheckTypeTag(
                                   &REGION_EXTERNAL_TAG)) {
    ThrowTypeError(info.Env(), "MappingHandle cannot be constructed directly; use mapFile() or openShm()");
  }
  region_ = *info[0].As<Napi::External<std::shared_ptr<Region>>>().Data();
}

MappingHandle::~MappingHandle() {
  // buffer_ still holds the ArrayBuffer here, so V8's own count of it is still in the total.
  RestoreExternalAccounting(Env());
  // region_ is released here; if the ArrayBuffer is still reachable its finalizer holds the
  // last reference, so the memory stays mapped for as long as JS can see it.
}

void MappingHandle::ThrowIfClosed(Napi::Env env, const char* operation) const {
  if (!closed_) return;
  ThrowMappingClosed(env, region_->path(), operation);
}

Napi::Value MappingHandle::Size(const Napi::CallbackInfo& info) {
  return Napi::Number::New(info.Env(), static_cast<double>(region_->length()));
}

Napi::Value MappingHandle::Closed(const Napi::CallbackInfo& info) { return Napi::Boolean::New(info.Env(), closed_); }

// The most one buffer's cancel may be: it is given back in one step after the detach, a rise V8
// measures from its low point, and a rise of more than 64 MiB there starts a full GC. 4 KiB under
// it leaves room for Node's own small counts (104 bytes per external buffer on Node 20).
constexpr int64_t kMaxCancelledBytes = int64_t{64} * 1024 * 1024 - 4096;

// Whether this V8 tolerates our cancelling its count of a mapping's buffer. Node 24's V8 (13.x)
// CHECKs that no decrease takes the process's external memory below zero, and its own decrease
// for another buffer freed while ours is cancelled can: the process aborts (seen in CI on Node 24).
// Node 20 and 22 (V8 11-12) keep a plain counter. Elsewhere a mapping counts as V8 counts it.
static bool CanCancelExternalCount(Napi::Env env) {
  static const bool can = [&] {
    const napi_node_version* version = nullptr;
    return napi_get_node_version(env, &version) == napi_ok && version != nullptr && version->major <= 22;
  }();
  return can;
}

Napi::Value MappingHandle::Buffer(const Napi::CallbackInfo& info) {
  ThrowIfClosed(info.Env(), "buffer");
  // Exactly one backing store per address: a second one over the same pointer crashes V8.
  if (!buffer_.IsEmpty()) return buffer_.Value();
  CheckExternalLength(info.Env(), region_->length(), region_->path());
  auto* hint = new std::shared_ptr<Region>(region_);
  const int64_t length = static_cast<int64_t>(region_->length());
  int64_t cancelled = 0;
  if (CanCancelExternalCount(info.Env())) {
    const int64_t total = Napi::MemoryManagement::AdjustExternalMemory(info.Env(), 0);
    cancelled = std::max<int64_t>(0, std::min({length, total, kMaxCancelledBytes}));
    Napi::MemoryManagement::AdjustExternalMemory(info.Env(), -cancelled);
  }
  Napi::ArrayBuffer buffer;
  try {
    // From here the finalizer owns `hint`, even if creating the buffer throws.
    buffer = NewExternalArrayBuffer(info.Env(), region_->address(), region_->length(), ReleaseRegionHint, hint);
    buffer_ = Napi::Persistent(buffer);
  } catch (...) {
    // No buffer, or one nothing keeps alive until a restore: hand V8's count back now.
    Napi::MemoryManagement::AdjustExternalMemory(info.Env(), cancelled);
    throw;
  }
  cancelledExternalBytes_ = cancelled;
  return buffer;
}

void MappingHandle::RestoreExternalAccounting(Napi::Env env) {
  if (cancelledExternalBytes_ == 0) return;
  Napi::MemoryManagement::AdjustExternalMemory(env, cancelledExternalBytes_);
  cancelledExternalBytes_ = 0;
}

MappingHandle::PageRange MappingHandle::RangeArgs(const Napi::CallbackInfo& info, size_t offsetIndex,
                                                  const char* operation) const {
  const uint64_t size = region_->length();
  const uint64_t offset = OffsetArg(info, offsetIndex, "offset", 0);
  if (offset > size) {
    ThrowRangeError(info.Env(), std::string(operation) + ": offset " + std::to_string(offset) +
                                    " is past the end of the mapping (" + std::to_string(size) + " bytes)");
  }
  const uint64_t length = OffsetArg(info, offsetIndex + 1, "length", size - offset);
  if (length > size - offset) {
    ThrowRangeError(info.Env(), std::string(operation) + ": range [" + std::to_string(offset) + ", " +
                                    std::to_string(offset + length) + ") exceeds the mapping (" +
                                    std::to_string(size) + " bytes)");
  }
  // The kernel wants a page-aligned start; the mapping itself starts on a page.
  const uint64_t alignedOffset = offset - offset % PageSize();
  return {static_cast<char*>(region_->address()) + alignedOffset,
          static_cast<size_t>(offset + length - alignedOffset)};
}

void MappingHandle::Msync(const Napi::CallbackInfo& info) {
  ThrowIfClosed(info.Env(), "msync");
  const PageRange range = RangeArgs(info, 0, "msync");
  if (range.length == 0) return;
  if (msync(range.start, range.length, MS_SYNC) != 0) ThrowNativeError(info.Env(), "msync", errno, region_->path());
}

Napi::Value MappingHandle::MsyncAsync(const Napi::CallbackInfo& info) {
  ThrowIfClosed(info.Env(), "msyncAsync");
  const PageRange range = RangeArgs(info, 0, "msyncAsync");
  auto* worker = new RangeWorker(info.Env(), region_, range.start, range.length, RangeOp::Msync);
  Napi::Promise promise = worker->Promise();
  worker->Queue();
  return promise;
}

Napi::Value MappingHandle::PrefaultAsync(const Napi::CallbackInfo& info) {
  ThrowIfClosed(info.Env(), "prefaultAsync");
  const PageRange range = RangeArgs(info, 0, "prefaultAsync");
  auto* worker = new RangeWorker(info.Env(), region_, range.start, range.length, RangeOp::PopulateWrite);
  Napi::Promise promise = worker->Promise();
  worker->Queue();
  return promise;
}

Napi::Value MappingHandle::PopulateReadAsync(const Napi::CallbackInfo& info) {
  ThrowIfClosed(info.Env(), "populateReadAsync");
  const PageRange range = RangeArgs(info, 0, "populateReadAsync");
  auto* worker = new RangeWorker(info.Env(), region_, range.start, range.length, RangeOp::PopulateRead);
  Napi::Promise promise = worker->Promise();
  worker->Queue();
  return promise;
}

void MappingHandle::Madvise(const Napi::CallbackInfo& info) {
  ThrowIfClosed(info.Env(), "madvise");
  const int advice = AdviceFromName(info.Env(), StringArg(info, 0, "advice"));
  const PageRange range = RangeArgs(info, 1, "madvise");
  if (range.length == 0) return;
  if (madvise(range.start, range.length, advice) != 0) {
    // A kernel before 5.14 does not know MADV_POPULATE_*: the pages then fault in on first touch.
    // One without transparent huge pages refuses MADV_(NO)HUGEPAGE: page-sized folios, as before.
    const bool hint = advice == MADV_POPULATE_READ || advice == MADV_POPULATE_WRITE || advice == MADV_HUGEPAGE ||
                      advice == MADV_NOHUGEPAGE;
    if (hint && errno == EINVAL) return;
    // EFAULT: a page could not be populated (past the file's end, or no space for a hole on tmpfs):
    // the fault a store would have taken as SIGBUS, reported here as an error instead.
    ThrowNativeError(info.Env(), "madvise", errno, region_->path());
  }
}

void MappingHandle::Close(const Napi::CallbackInfo& info) {
  if (closed_) return;
  if (!buffer_.IsEmpty()) {
    // Detach first: every TypedArray over the buffer drops to length 0, so JS can never
    // reach the memory once it is unmapped. If detaching throws, nothing is unmapped.
    Napi::ArrayBuffer buffer = buffer_.Value();
    if (!buffer.IsDetached()) buffer.Detach();
    // Given back after the detach, which removes V8's own count of the buffer. Given back before
    // it, the count rose by the cancel on top of the buffer's own count, from the low point the
    // buffer's creation set: past that point + 64 MiB, every close of a mapping of 32 MiB or more
    // started a full GC while other external memory (a replay's output) was counted. After the
    // detach the rise is the cancel alone (at most kMaxCancelledBytes): none starts. The count may
    // dip below zero in between, as V8's own decrease for a buffer freed while ours is cancelled
    // can on V8 11-12 (Node 24, where that aborts, cancels nothing).
    RestoreExternalAccounting(info.Env());
    buffer_.Reset();
  }
  closed_ = true;
  region_->RequestUnmap();
}

// mapFile(path, size | undefined, create, readOnly, noFollow, mode | undefined)
static Napi::Value MapFile(const Napi::CallbackInfo& info) {
  MapRequest request{StringArg(info, 0, "path"), MappingKind::File, OffsetArg(info, 1, "size", 0),
                     BoolArg(info, 2, "create"), BoolArg(info, 3, "readOnly")};
  const bool noFollow = BoolArg(info, 4, "noFollow");
  const int mode = ModeArg(info, 5);
  if (request.create && request.readOnly) ThrowTypeError(info.Env(), "create and readOnly cannot be combined");
  // O_NONBLOCK: opening a FIFO must fail at the regular-file check, not hang.
  int flags = (request.readOnly ? O_RDONLY : O_RDWR) | O_CLOEXEC | O_NOCTTY | O_NONBLOCK;
  if (request.create) flags |= O_CREAT;
  if (noFollow) flags |= O_NOFOLLOW;
  // OpenMaybeCreating knows whether this call created the file: if so, a failure (no space, a
  // mode that cannot be applied) removes it again instead of leaving an empty or half-reserved file.
  const OpenedFile file = OpenMaybeCreating(OpenPath, request.path, flags, mode < 0 ? 0644 : mode);
  if (file.fd < 0) {
    if (noFollow && errno == ELOOP) {
      ThrowNativeError(info.Env(), "open", ELOOP, request.path, "it is a symbolic link, and noFollow was given");
    }
    ThrowNativeError(info.Env(), "open", errno, request.path);
  }
  if (!file.created) return MapDescriptor(info.Env(), file.fd, request);
  try {
    ApplyCreateMode(info.Env(), file.fd, mode, request.path);
    return MapDescriptor(info.Env(), file.fd, request);
  } catch (...) {
    unlink(request.path.c_str());
    throw;
  }
}

void InitMapping(Napi::Env env, Napi::Object exports) {
  GetAddonData(env).mappingHandleClass = Napi::Persistent(MappingHandle::DefineClass(env));

  exports.Set("mapFile", Napi::Function::New<MapFile>(env, "mapFile"));
}

}  // namespace deepwater
