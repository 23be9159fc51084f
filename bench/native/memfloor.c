/*
 * Memory floor for range replay: what C does with the same bytes on one core, no Deepwater.
 *
 *   source: <records> × 24-byte records {f64 price, f64 size, u64 ts} in populated memory
 *   raw:      fresh output mapping, MADV_POPULATE_WRITE, memcpy, then each record's ts read
 *   columnar: fresh output mapping, MADV_POPULATE_WRITE, one pass into three 8-byte columns
 *   scan:     one pass reading every field of every record in place (no output): scan()'s floor
 *
 * Each figure includes getting fresh output memory from the kernel, as range() must (its result
 * outlives the call): on a VM that page-fault cost alone can bound the rate.
 *
 * usage: memfloor <records> <reps>; prints {"raw":[rec/s...],"columnar":[rec/s...],"scan":[rec/s...]}.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>

#ifndef MADV_POPULATE_WRITE
#define MADV_POPULATE_WRITE 23 /* Linux 5.14; older kernels fault lazily */
#endif

#define RECORD 24

static double now_s(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void *fresh(size_t length) {
  void *p = mmap(NULL, length, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (p == MAP_FAILED) {
    fprintf(stderr, "memfloor: mmap %zu bytes: %s\n", length, strerror(errno));
    exit(2);
  }
  madvise(p, length, MADV_POPULATE_WRITE);
  return p;
}

/* Keeps results observable so the compiler cannot drop the work. */
static volatile double sink;

int main(int argc, char **argv) {
  if (argc != 3) {
    fprintf(stderr, "usage: %s <records> <reps>\n", argv[0]);
    return 2;
  }
  long records = atol(argv[1]);
  int reps = atoi(argv[2]);
  if (records <= 0 || reps <= 0) {
    fprintf(stderr, "memfloor: records and reps must be > 0\n");
    return 2;
  }
  size_t length = (size_t)records * RECORD;
  unsigned char *source = fresh(length);
  for (long i = 0; i < records; i++) {
    double price = 100.0 + (double)(i % 1000), size = 1.0;
    uint64_t ts = 1700000000000000ull + (uint64_t)i;
    memcpy(source + i * RECORD, &price, 8);
    memcpy(source + i * RECORD + 8, &size, 8);
    memcpy(source + i * RECORD + 16, &ts, 8);
  }
  printf("{\"raw\":[");
  for (int rep = 0; rep < reps; rep++) {
    double t0 = now_s();
    unsigned char *out = fresh(length);
    memcpy(out, source, length);
    uint64_t checksum = 0;
    for (long i = 0; i < records; i++) {
      uint64_t ts;
      memcpy(&ts, out + i * RECORD + 16, 8);
      checksum += ts;
    }
    double seconds = now_s() - t0;
    sink = (double)checksum;
    munmap(out, length);
    printf("%s%.0f", rep ? "," : "", (double)records / seconds);
  }
  printf("],\"columnar\":[");
  for (int rep = 0; rep < reps; rep++) {
    double t0 = now_s();
    double *out = fresh(length);
    double *price = out, *size = out + records, *ts = out + 2 * records;
    for (long i = 0; i < records; i++) {
      const unsigned char *r = source + i * RECORD;
      uint64_t t;
      memcpy(&price[i], r, 8);
      memcpy(&size[i], r + 8, 8);
      memcpy(&t, r + 16, 8);
      ts[i] = (double)t; /* int64: 'number' mode, as the replay rows */
    }
    double seconds = now_s() - t0;
    sink = ts[records - 1];
    munmap(out, length);
    printf("%s%.0f", rep ? "," : "", (double)records / seconds);
  }
  printf("],\"scan\":[");
  for (int rep = 0; rep < reps; rep++) {
    double t0 = now_s();
    double checksum = 0;
    for (long i = 0; i < records; i++) {
      const unsigned char *r = source + i * RECORD;
      double price, size;
      uint64_t t;
      memcpy(&price, r, 8);
      memcpy(&size, r + 8, 8);
      memcpy(&t, r + 16, 8);
      checksum += price + size + (double)t; /* the bench's scan() loop, in C */
    }
    double seconds = now_s() - t0;
    sink = checksum;
    printf("%s%.0f", rep ? "," : "", (double)records / seconds);
  }
  printf("]}\n");
  return 0;
}
