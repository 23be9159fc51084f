/*
 * Memory floor for range replay: what C does with the same bytes on one core, no Deepwater.
 *
 *   source: <records> × 24-byte records {f64 price, f64 size, u64 ts} in a file in <dir> (the file
 *           system the bench's feeds live on), written first, so in the page cache as a feed's
 *           chunks are after its bulk load
 *   raw:      the file mapped, MADV_POPULATE_READ; fresh output mapping, MADV_POPULATE_WRITE;
 *             memcpy, then each record's ts read
 *   columnar: the file mapped, MADV_POPULATE_READ; fresh output mapping, MADV_POPULATE_WRITE; one
 *             pass into three 8-byte columns
 *   scan:     one pass reading every field of every record in place, from populated anonymous
 *             memory (no output): scan()'s floor
 *
 * Each raw and columnar figure includes mapping the records' page-cache pages (a fresh mapping
 * each repetition, populated as range() populates each chunk it maps) and getting fresh output
 * memory from the kernel, as range() must (its result outlives the call): on a VM these page-table
 * and page-fault costs alone can bound the rate. Until issue #20 (H35) the source was the floor's
 * own populated anonymous memory, with no mapping to set up: MADV_POPULATE_READ of 240 MB of page
 * cache costs 12-16 ms of one core here, whether the file was written with write() (as here, ~130-190
 * faults: large folios) or through a writable mapping as the sdk writer writes chunks (~1750-2150
 * faults); the page walk, not the faults, is most of it.
 *
 * usage: memfloor <records> <reps> <dir>; prints {"raw":[rec/s...],"columnar":[rec/s...],"scan":[rec/s...]}.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#ifndef MADV_POPULATE_READ
#define MADV_POPULATE_READ 22 /* Linux 5.14; older kernels fault lazily */
#endif
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

/* The source file's records, freshly mapped and populated: as range() maps a feed's chunk. */
static const unsigned char *mapped(int fd, size_t length) {
  void *p = mmap(NULL, length, PROT_READ, MAP_SHARED, fd, 0);
  if (p == MAP_FAILED) {
    fprintf(stderr, "memfloor: mmap of the source file: %s\n", strerror(errno));
    exit(2);
  }
  madvise(p, length, MADV_POPULATE_READ);
  return p;
}

/* Keeps results observable so the compiler cannot drop the work. */
static volatile double sink;

int main(int argc, char **argv) {
  if (argc != 4) {
    fprintf(stderr, "usage: %s <records> <reps> <dir>\n", argv[0]);
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
  char path[4096];
  snprintf(path, sizeof path, "%s/memfloor-%ld.records", argv[3], (long)getpid());
  int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
  if (fd < 0) {
    fprintf(stderr, "memfloor: open %s: %s\n", path, strerror(errno));
    return 2;
  }
  unlink(path); /* the open descriptor keeps it until exit */
  for (size_t done = 0; done < length;) {
    ssize_t n = write(fd, source + done, length - done);
    if (n <= 0) {
      fprintf(stderr, "memfloor: write %s: %s\n", path, strerror(errno));
      return 2;
    }
    done += (size_t)n;
  }
  printf("{\"raw\":[");
  for (int rep = 0; rep < reps; rep++) {
    double t0 = now_s();
    const unsigned char *file = mapped(fd, length);
    unsigned char *out = fresh(length);
    memcpy(out, file, length);
    uint64_t checksum = 0;
    for (long i = 0; i < records; i++) {
      uint64_t ts;
      memcpy(&ts, out + i * RECORD + 16, 8);
      checksum += ts;
    }
    double seconds = now_s() - t0;
    sink = (double)checksum;
    munmap(out, length);
    munmap((void *)file, length);
    printf("%s%.0f", rep ? "," : "", (double)records / seconds);
  }
  printf("],\"columnar\":[");
  for (int rep = 0; rep < reps; rep++) {
    double t0 = now_s();
    const unsigned char *file = mapped(fd, length);
    double *out = fresh(length);
    double *price = out, *size = out + records, *ts = out + 2 * records;
    for (long i = 0; i < records; i++) {
      const unsigned char *r = file + i * RECORD;
      uint64_t t;
      memcpy(&price[i], r, 8);
      memcpy(&size[i], r + 8, 8);
      memcpy(&t, r + 16, 8);
      ts[i] = (double)t; /* int64: 'number' mode, as the replay rows */
    }
    double seconds = now_s() - t0;
    sink = ts[records - 1];
    munmap(out, length);
    munmap((void *)file, length);
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
