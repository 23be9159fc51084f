#include "region.h"

#include <sys/mman.h>

#include <map>

namespace deepwater {

namespace {

// Keyed by base address. Process-wide (not per env) because memory is process-wide.
std::mutex registryMutex;
std::map<const void*, std::weak_ptr<Region>>& Registry() {
  static auto* registry = new std::map<const void*, std::weak_ptr<Region>>();
  return *registry;
}

}  // namespace

Region::Region(void* address, size_t length, std::string path)
    : address_(address), length_(length), path_(std::move(path)) {}

Region::~Region() {
  std::lock_guard<std::mutex> lock(mutex_);
  UnmapLocked();
}

bool Region::BeginOperation() {
  std::lock_guard<std::mutex> lock(mutex_);
  if (!mapped_ || unmapRequested_) return false;
  ++operationsInFlight_;
  return true;
}

void Region::EndOperation() {
  std::lock_guard<std::mutex> lock(mutex_);
  --operationsInFlight_;
  if (unmapRequested_ && operationsInFlight_ == 0) UnmapLocked();
}

void Region::RequestUnmap() {
  std::lock_guard<std::mutex> lock(mutex_);
  unmapRequested_ = true;
  if (operationsInFlight_ == 0) UnmapLocked();
}

void Region::UnmapLocked() {
  if (!mapped_) return;
  mapped_ = false;
  {
    std::lock_guard<std::mutex> registryLock(registryMutex);
    auto it = Registry().find(address_);
    // A new mapping may already reuse this address only after munmap, so the entry is ours.
    if (it != Registry().end()) Registry().erase(it);
  }
  munmap(address_, length_);
}

std::shared_ptr<Region> Region::Find(const void* address) {
  std::lock_guard<std::mutex> lock(registryMutex);
  auto it = Registry().find(address);
  return it == Registry().end() ? nullptr : it->second.lock();
}

void Region::Register(const std::shared_ptr<Region>& region) {
  std::lock_guard<std::mutex> lock(registryMutex);
  Registry()[region->address()] = region;
}

RegionPin::RegionPin(std::shared_ptr<Region> region) {
  if (region && region->BeginOperation()) region_ = std::move(region);
}

void RegionPin::Release() {
  if (!region_) return;
  region_->EndOperation();
  region_.reset();
}

}  // namespace deepwater
