#include "anon-buffer.h"

#include <sys/mman.h>

#include <cerrno>
#include <cstdint>

#include "errors.h"

#ifndef MADV_POPULATE_WRITE
#define MADV_POPULATE_WRITE 23  // Linux 5.14; older kernels answer EINVAL and fault lazily.
#endif

namespace deepwater {

namespace {

struct AnonBuffer {
  void* address;
  size_t length;
};

// Runs on the JS thread (node-api external array buffers finalize there), once V8 has
// collected the last view of the buffer: nothing can reach the memory any more.
void FreeAnonBuffer(Napi::Env env, void* /*data*/, AnonBuffer* buffer) {
  munmap(buffer->address, buffer->length);
  Napi::MemoryManagement::AdjustExternalMemory(env, -static_cast<int64_t>(buffer->length));
  delete buffer;
}

// allocateBuffer(byteLength)
Napi::Value AllocateBuffer(const Napi::CallbackInfo& info) {
  const uint64_t requested = OffsetArg(info, 0, "byteLength", 0);
  if (requested == 0) return Napi::ArrayBuffer::New(info.Env(), 0);
  if (requested > SIZE_MAX / 2) {
    ThrowRangeError(info.Env(), "allocateBuffer: byteLength " + std::to_string(requested) + " is too large");
  }
  const size_t length = static_cast<size_t>(requested);
  void* address = mmap(nullptr, length, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (address == MAP_FAILED) ThrowNativeError(info.Env(), "mmap", errno, "(anonymous)");
  // No MADV_HUGEPAGE: measured here, compaction on a page-cache-full machine made it 2-3x slower.
  // A kernel without MADV_POPULATE_WRITE (EINVAL) still gives zeroed pages that fault lazily.
  if (madvise(address, length, MADV_POPULATE_WRITE) != 0 && errno == ENOMEM) {
    munmap(address, length);
    ThrowNativeError(info.Env(), "madvise(MADV_POPULATE_WRITE)", ENOMEM, "(anonymous)");
  }
  auto* owner = new AnonBuffer{address, length};
  Napi::ArrayBuffer buffer;
  try {
    buffer = Napi::ArrayBuffer::New(info.Env(), address, length, FreeAnonBuffer, owner);
  } catch (...) {
    munmap(address, length);
    delete owner;
    throw;
  }
  // Real memory (unlike a file mapping's page cache): V8 must count it to collect in time.
  Napi::MemoryManagement::AdjustExternalMemory(info.Env(), static_cast<int64_t>(length));
  return buffer;
}

}  // namespace

void InitAnonBuffer(Napi::Env env, Napi::Object exports) {
  exports.Set("allocateBuffer", Napi::Function::New<AllocateBuffer>(env, "allocateBuffer"));
}

}  // namespace deepwater
