// Region — one mmap'd range and its lifetime. Shared (std::shared_ptr) by the Mapping handle,
// the ArrayBuffer finalizer and in-flight async operations, so munmap happens only when the
// mapping is closed AND no threadpool operation still uses the address.
#pragma once

#include <cstddef>
#include <memory>
#include <mutex>
#include <string>

namespace deepwater {

class Region {
 public:
  Region(void* address, size_t length, std::string path);
  ~Region();
  Region(const Region&) = delete;
  Region& operator=(const Region&) = delete;

  void* address() const { return address_; }
  size_t length() const { return length_; }
  const std::string& path() const { return path_; }

  // Pins the address for an operation on another thread; false if the region is closed.
  bool BeginOperation();
  void EndOperation();
  // munmap now, or when the last pinned operation ends.
  void RequestUnmap();

  // The live region whose mapping starts at `address`, if any (futexWaitAsync pins it).
  static std::shared_ptr<Region> Find(const void* address);
  static void Register(const std::shared_ptr<Region>& region);

 private:
  void UnmapLocked();

  void* const address_;
  const size_t length_;
  const std::string path_;
  std::mutex mutex_;
  bool mapped_ = true;
  bool unmapRequested_ = false;
  int operationsInFlight_ = 0;
};

// RAII pin for an async operation; safe to release early (at the end of Execute).
class RegionPin {
 public:
  RegionPin() = default;
  explicit RegionPin(std::shared_ptr<Region> region);
  ~RegionPin() { Release(); }
  RegionPin(const RegionPin&) = delete;
  RegionPin& operator=(const RegionPin&) = delete;
  bool pinned() const { return region_ != nullptr; }
  void Release();

 private:
  std::shared_ptr<Region> region_;
};

}  // namespace deepwater
