/*
 * Raw fixed-rate one-way latency: the machine's floor for the method Deepwater's latency rows use.
 *
 *   sender (cpu A) ──{intended send time, seq}──▶ [ /dev/shm ring of 2^16 slots ] ──▶ receiver (cpu B)
 *
 * The sender spins until each record's intended time (start + seq / rate), then stores the
 * intended time and the sequence; the receiver spins on the sequence and records
 * arrival − intended. As in the JS latency children, a sender that runs late (a VM stall, an
 * interrupt) is charged for every record it should have sent meanwhile (no coordinated omission),
 * so the tail of this histogram is what any implementation, however fast, would show at this rate
 * on this machine. No Deepwater code is involved.
 *
 * usage: fixedrate <shm-file> <samples-out> <rate> <total> <warmup> <cpuA|-1> <cpuB|-1>
 * Writes one uint32 nanosecond value per measured record (seq >= warmup) to <samples-out>.
 */
#define _GNU_SOURCE
#define PROGRAM "fixedrate"
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

/* A ring of slots, like Deepwater's: the receiver takes every record, so a receiver that stalls
 * is charged for the backlog too (a single shared line would let it skip to the newest record and
 * hide the stall). 2^16 slots: the sender would need a 0.6 s receiver stall at 100 K/s to lap. */
#define SLOTS 65536

typedef struct {
  volatile uint64_t seq; /* 1-based; written after `intended` */
  volatile uint64_t intended;
} slot_t;

int main(int argc, char **argv) {
  if (argc != 8) {
    fprintf(stderr, "usage: %s <shm-file> <samples-out> <rate> <total> <warmup> <cpuA|-1> <cpuB|-1>\n", argv[0]);
    return 2;
  }
  const char *shm_path = argv[1];
  const char *out_path = argv[2];
  double rate = atof(argv[3]);
  long total = atol(argv[4]);
  long warmup = atol(argv[5]);
  int cpu_a = atoi(argv[6]);
  int cpu_b = atoi(argv[7]);
  if (!(rate > 0) || total <= 0 || warmup < 0 || warmup >= total) {
    fprintf(stderr, "fixedrate: rate and total must be > 0, 0 <= warmup < total\n");
    return 2;
  }
  slot_t *slots = map_shared(shm_path, sizeof(slot_t) * SLOTS);

  /* The receiver is the child: it owns the samples and writes them out. */
  pid_t child = fork();
  if (child < 0) die("fork", NULL);
  if (child == 0) {
    if (pin(cpu_b) < 0) die("sched_setaffinity", NULL);
    long measured_max = total - warmup;
    uint32_t *samples = malloc(sizeof(uint32_t) * (size_t)measured_max);
    if (!samples) die("malloc", NULL);
    long measured = 0;
    for (uint64_t seq = 1; seq <= (uint64_t)total; seq++) {
      slot_t *slot = &slots[seq % SLOTS];
      uint64_t seen;
      while ((seen = __atomic_load_n(&slot->seq, __ATOMIC_ACQUIRE)) < seq) cpu_relax();
      uint64_t arrived = now_ns();
      uint64_t intended = slot->intended;
      if (__atomic_load_n(&slot->seq, __ATOMIC_ACQUIRE) != seq || seen != seq) {
        fprintf(stderr, "fixedrate: the sender lapped the receiver at record %llu\n", (unsigned long long)seq);
        _exit(3);
      }
      if (seq > (uint64_t)warmup && measured < measured_max) {
        uint64_t late = arrived > intended ? arrived - intended : 0;
        samples[measured++] = late > UINT32_MAX ? UINT32_MAX : (uint32_t)late;
      }
    }
    write_samples(out_path, samples, (size_t)measured);
    _exit(0);
  }
  if (pin(cpu_a) < 0) die("sched_setaffinity", NULL);
  double interval = 1e9 / rate;
  /* Leave the receiver time to be spinning before the first record. */
  uint64_t start = now_ns() + 50000000ull;
  long late = 0;
  for (uint64_t seq = 1; seq <= (uint64_t)total; seq++) {
    uint64_t intended = start + (uint64_t)((double)(seq - 1) * interval);
    uint64_t now = now_ns();
    if (now > intended + 1000) late++;
    while (now < intended) now = now_ns();
    slot_t *slot = &slots[seq % SLOTS];
    slot->intended = intended;
    __atomic_store_n(&slot->seq, seq, __ATOMIC_RELEASE);
  }
  int status = 0;
  waitpid(child, &status, 0);
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    fprintf(stderr, "fixedrate: receiver failed (status %d)\n", status);
    return 2;
  }
  printf("{\"late\":%ld,\"total\":%ld}\n", late, total);
  return 0;
}
