// Splitting one call's work over short-lived threads, for jobs big enough to pay for them.
#pragma once

#include <algorithm>
#include <cstdint>
#include <system_error>
#include <thread>
#include <vector>

namespace deepwater {

// Never more threads than this for one call, whatever the caller allows.
constexpr uint64_t kMaxThreads = 16;

// How many parts a job of `work` units is split into: at most `threads` (and kMaxThreads), each
// part at least `min_per_part` units, since below that starting a thread costs more than it
// saves. 1 = do it all on the calling thread.
inline uint64_t PartsFor(uint64_t threads, uint64_t work, uint64_t min_per_part) {
  return std::max<uint64_t>(1, std::min<uint64_t>({threads, kMaxThreads, work / min_per_part}));
}

// Runs run(0) .. run(parts - 1) concurrently: parts 1.. on new threads, part 0 on the calling
// thread, and returns when all are done. A thread that cannot be started (resource limits)
// costs parallelism, never the work: the calling thread runs that part too.
template <typename Run>
void RunParts(uint64_t parts, const Run& run) {
  std::vector<std::thread> workers;
  std::vector<uint64_t> here{0};
  workers.reserve(parts > 0 ? parts - 1 : 0);
  for (uint64_t part = 1; part < parts; part++) {
    try {
      workers.emplace_back(run, part);
    } catch (const std::system_error&) {
      here.push_back(part);
    }
  }
  for (uint64_t part : here) run(part);
  for (std::thread& worker : workers) worker.join();
}

}  // namespace deepwater
