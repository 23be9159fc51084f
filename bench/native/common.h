/*
 * Helpers shared by the C baselines. Each program defines PROGRAM (its name, for messages)
 * before including this file; compile-native.ts recompiles every program when this file changes.
 */
#ifndef DW_BENCH_COMMON_H
#define DW_BENCH_COMMON_H

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

/* CLOCK_MONOTONIC in ns: the clock the Node children read with process.hrtime(). */
static inline uint64_t now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/* Returns 1 when pinned, 0 when the cpu was -1 (no pinning asked), -1 on failure. */
static inline int pin(int cpu) {
  if (cpu < 0) return 0;
  cpu_set_t set;
  CPU_ZERO(&set);
  CPU_SET(cpu, &set);
  return sched_setaffinity(0, sizeof set, &set) == 0 ? 1 : -1;
}

static inline void die(const char *what, const char *path) {
  fprintf(stderr, PROGRAM ": %s %s: %s\n", what, path ? path : "", strerror(errno));
  exit(2);
}

static inline void cpu_relax(void) { __builtin_ia32_pause(); }

/*
 * A zeroed shared mapping of `size` bytes for this process and the children it forks, created at
 * `shm_path` (which must not exist) and unlinked at once: the mapping stays valid after unlink,
 * so nothing is left in /dev/shm even if the program crashes later.
 */
static inline void *map_shared(const char *shm_path, size_t size) {
  int fd = open(shm_path, O_RDWR | O_CREAT | O_EXCL, 0600);
  if (fd < 0) die("open", shm_path);
  if (ftruncate(fd, (off_t)size) != 0) die("ftruncate", shm_path);
  void *mapping = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
  if (mapping == MAP_FAILED) die("mmap", shm_path);
  close(fd);
  unlink(shm_path);
  memset(mapping, 0, size);
  return mapping;
}

/* Writes `count` uint32 samples to `path` (the harness reads them back into a histogram). */
static inline void write_samples(const char *path, const uint32_t *samples, size_t count) {
  FILE *out = fopen(path, "wb");
  if (!out) die("fopen", path);
  if (fwrite(samples, sizeof(uint32_t), count, out) != count) die("fwrite", path);
  if (fclose(out) != 0) die("fclose", path);
}

#endif
