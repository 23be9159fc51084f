/*
 * Raw shared-memory ping-pong: the hardware limit for one-way latency between two processes.
 *
 *   ping (cpu A) ──seq──▶ [ /dev/shm mapping: two cache lines ] ──seq──▶ pong (cpu B)
 *        ◀───────────────────────── echo ──────────────────────────────────┘
 *
 * The ping side writes a sequence number into its cache line; the pong side spins until it sees
 * it and echoes it into its own line; ping spins for the echo. One-way latency = round trip / 2,
 * timed with CLOCK_MONOTONIC around each round trip (so a clock read is included once per trip).
 *
 * usage: pingpong <shm-file> <samples-out> <iterations> <warmup> <cpuA|-1> <cpuB|-1> <max-ms>
 * Stops after <iterations> measured round trips or <max-ms> milliseconds, whichever comes first
 * (a busy machine can make each round trip wait for a time slice). Writes one uint32 nanosecond
 * value per measured round trip to <samples-out>; prints one JSON line.
 */
#define _GNU_SOURCE
#define PROGRAM "pingpong"
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "common.h"

#define LINE 64
/* Written into `ping` to tell the pong side that the run is over. */
#define STOP UINT64_MAX

typedef struct {
  _Alignas(LINE) volatile uint64_t ping;
  _Alignas(LINE) volatile uint64_t pong;
} lines_t;

int main(int argc, char **argv) {
  if (argc != 8) {
    fprintf(stderr, "usage: %s <shm-file> <samples-out> <iterations> <warmup> <cpuA|-1> <cpuB|-1> <max-ms>\n",
            argv[0]);
    return 2;
  }
  const char *shm_path = argv[1];
  const char *out_path = argv[2];
  long iterations = atol(argv[3]);
  long warmup = atol(argv[4]);
  int cpu_a = atoi(argv[5]);
  int cpu_b = atoi(argv[6]);
  long max_ms = atol(argv[7]);
  if (iterations <= 0 || warmup < 0 || max_ms <= 0) {
    fprintf(stderr, "pingpong: iterations and max-ms must be > 0, warmup >= 0\n");
    return 2;
  }

  lines_t *lines = map_shared(shm_path, sizeof(lines_t));

  long total = warmup + iterations;
  pid_t child = fork();
  if (child < 0) die("fork", NULL);
  if (child == 0) {
    if (pin(cpu_b) < 0) die("sched_setaffinity", NULL);
    for (uint64_t seq = 1; seq <= (uint64_t)total; seq++) {
      uint64_t seen;
      while ((seen = lines->ping) != seq) {
        if (seen == STOP) _exit(0);
        cpu_relax();
      }
      lines->pong = seq;
    }
    _exit(0);
  }

  int pinned = pin(cpu_a);
  if (pinned < 0) die("sched_setaffinity", NULL);
  uint32_t *samples = malloc(sizeof(uint32_t) * (size_t)iterations);
  if (!samples) die("malloc", NULL);
  /* The time cap counts from the end of the warm-up, so a slow warm-up cannot starve the samples. */
  uint64_t max_ns = (uint64_t)max_ms * 1000000ull;
  uint64_t deadline = warmup == 0 ? now_ns() + max_ns : UINT64_MAX;
  long measured = 0;
  for (uint64_t seq = 1; seq <= (uint64_t)total; seq++) {
    uint64_t t0 = now_ns();
    lines->ping = seq;
    while (lines->pong != seq) cpu_relax();
    uint64_t t1 = now_ns();
    if (seq > (uint64_t)warmup) {
      uint64_t one_way = (t1 - t0) / 2;
      samples[measured++] = one_way > UINT32_MAX ? UINT32_MAX : (uint32_t)one_way;
    } else if (seq == (uint64_t)warmup) {
      deadline = t1 + max_ns;
    }
    if (t1 > deadline) break;
  }
  lines->ping = STOP;
  int status = 0;
  waitpid(child, &status, 0);

  write_samples(out_path, samples, (size_t)measured);
  printf("{\"iterations\":%ld,\"pinned\":%s,\"cpuA\":%d,\"cpuB\":%d}\n", measured, pinned ? "true" : "false",
         cpu_a, cpu_b);
  return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : 3;
}
