/*
 * Helpers shared by the C baselines. Each program defines PROGRAM (its name, for messages)
 * before including this file; compile-native.ts recompiles every program when this file changes.
 */
#ifndef DW_BENCH_COMMON_H
#define DW_BENCH_COMMON_H

#include <errno.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

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

#endif
