#include "anon-buffer.h"

#include <sys/mman.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <vector>

#include "errors.h"
#include "external-buffer.h"
#include "parallel.h"

#ifndef MADV_POPULATE_WRITE
#define MADV_POPULATE_WRITE 23  // Linux 5.14; older kernels answer EINVAL and fault lazily.
#endif

namespace deepwater {

namespace {

// The smallest share of a populate worth a thread (see PartsFor).
constexpr size_t kBytesPerThread = 16 * 1024 * 1024;

struct AnonBuffer {
  void* address;
  size_t length;
};

// Runs on the JS thread (node-api external array buffers finalize there), once V8 has
// collected the last view of the buffer: nothing can reach the memory any more.
void FreeAnonBuffer(napi_env env, void* /*data*/, void* hint) {
  auto* buffer = static_cast<AnonBuffer*>(hint);
  munmap(buffer->address, buffer->length);
  delete buffer;
}

// Populates [address, address + length) with MADV_POPULATE_WRITE, split over up to `threads`
// threads for large lengths: page faults (and the kernel zeroing each page) are most of the cost,
// and separate threads fault separate pages of one mapping in parallel. Returns 0 or an errno.
int Populate(uint8_t* address, size_t length, uint64_t threads) {
  const auto populate = [](uint8_t* start, size_t bytes) {
    return madvise(start, bytes, MADV_POPULATE_WRITE) == 0 ? 0 : errno;
  };
  const uint64_t parts = PartsFor(threads, length, kBytesPerThread);
  if (parts <= 1) return populate(address, length);
  const size_t page = static_cast<size_t>(sysconf(_SC_PAGESIZE));
  std::vector<size_t> bounds;
  for (uint64_t part = 0; part <= parts; part++) {
    bounds.push_back(part == parts ? length : length / parts * part / page * page);  // page-aligned
  }
  std::vector<int> errors(parts, 0);
  RunParts(parts, [&](uint64_t part) {
    errors[part] = populate(address + bounds[part], bounds[part + 1] - bounds[part]);
  });
  for (int e : errors) {
    if (e != 0) return e;
  }
  return 0;
}

// allocateBuffer(byteLength, threads)
Napi::Value AllocateBuffer(const Napi::CallbackInfo& info) {
  const uint64_t requested = OffsetArg(info, 0, "byteLength", 0);
  if (requested == 0) return Napi::ArrayBuffer::New(info.Env(), 0);
  // Checked before mmap: Node cannot wrap a longer buffer, and failing after the hand-over frees twice.
  CheckExternalLength(info.Env(), requested, "(anonymous)");
  const size_t length = static_cast<size_t>(requested);
  void* address = mmap(nullptr, length, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (address == MAP_FAILED) ThrowNativeError(info.Env(), "mmap", errno, "(anonymous)");
  // No MADV_HUGEPAGE: measured here, compaction on a page-cache-full machine made it 2-3x slower.
  // A kernel without MADV_POPULATE_WRITE (EINVAL) still gives zeroed pages that fault lazily.
  const int error = Populate(static_cast<uint8_t*>(address), length, OffsetArg(info, 1, "threads", 1));
  if (error == ENOMEM) {
    munmap(address, length);
    ThrowNativeError(info.Env(), "madvise(MADV_POPULATE_WRITE)", ENOMEM, "(anonymous)");
  }
  AnonBuffer* owner;
  try {
    owner = new AnonBuffer{address, length};
  } catch (const std::bad_alloc&) {
    munmap(address, length);
    ThrowNativeError(info.Env(), "malloc", ENOMEM, "(anonymous)");
  }
  // From here FreeAnonBuffer owns the memory, even if creating the buffer throws. Real memory
  // (unlike a file mapping's page cache) that V8 must count to collect in time: it does, since V8
  // adds an external buffer's length to its external-memory count itself (adding it here too made
  // every output count twice and collections run twice as often).
  return NewExternalArrayBuffer(info.Env(), address, length, FreeAnonBuffer, owner);
}

}  // namespace

void InitAnonBuffer(Napi::Env env, Napi::Object exports) {
  exports.Set("allocateBuffer", Napi::Function::New<AllocateBuffer>(env, "allocateBuffer"));
}

}  // namespace deepwater
