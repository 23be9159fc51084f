/*
 * File-write floor for disk bulk writes (writeRaw): what C does with the same bytes on one core,
 * no Deepwater, into fresh chunk-sized files on the file system the bench's feeds live on.
 *
 *   source: <records> × 24-byte records {f64 price, f64 size, u64 ts} in populated memory
 *   per chunk: open(O_CREAT) + fallocate + mmap(MAP_SHARED) + madvise(MADV_POPULATE_WRITE)
 *              + memcpy of the chunk's records + munmap + close
 *
 * This is the work a disk writer cannot avoid: new file blocks and page-cache pages for every
 * byte (the kernel zeroes each page), then the copy. Files are unlinked after each repetition.
 *
 * usage: filefloor <dir> <records> <reps> <records-per-chunk>; prints {"raw":[rec/s...]}.
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

#ifndef MADV_POPULATE_WRITE
#define MADV_POPULATE_WRITE 23 /* Linux 5.14; older kernels fault lazily */
#endif

#define RECORD 24
#define HEADER 4096 /* a chunk file's header page, as Deepwater's */

static double now_s(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void fail(const char *what, const char *path) {
  fprintf(stderr, "filefloor: %s %s: %s\n", what, path, strerror(errno));
  exit(2);
}

/* One chunk file: created, allocated, mapped, populated, filled, unmapped. */
static void write_chunk(const char *path, const unsigned char *records, size_t bytes, size_t fileLength) {
  int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0644);
  if (fd < 0) fail("open", path);
  int err = posix_fallocate(fd, 0, (off_t)fileLength);
  if (err != 0) {
    errno = err;
    fail("fallocate", path);
  }
  unsigned char *map = mmap(NULL, fileLength, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
  if (map == MAP_FAILED) fail("mmap", path);
  madvise(map, fileLength, MADV_POPULATE_WRITE);
  memcpy(map + HEADER, records, bytes);
  munmap(map, fileLength);
  close(fd);
}

int main(int argc, char **argv) {
  if (argc != 5) {
    fprintf(stderr, "usage: %s <dir> <records> <reps> <records-per-chunk>\n", argv[0]);
    return 2;
  }
  const char *dir = argv[1];
  long records = atol(argv[2]);
  int reps = atoi(argv[3]);
  long perChunk = atol(argv[4]);
  if (records <= 0 || reps <= 0 || perChunk <= 0) {
    fprintf(stderr, "filefloor: records, reps and records-per-chunk must be > 0\n");
    return 2;
  }
  size_t length = (size_t)records * RECORD;
  unsigned char *source = mmap(NULL, length, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (source == MAP_FAILED) fail("mmap", "(source)");
  for (long i = 0; i < records; i++) {
    double price = 101.25 + (double)(i % 100) / 100, size = 1.0 + (double)(i % 7);
    uint64_t ts = (uint64_t)i;
    memcpy(source + i * RECORD, &price, 8);
    memcpy(source + i * RECORD + 8, &size, 8);
    memcpy(source + i * RECORD + 16, &ts, 8);
  }
  long chunks = (records + perChunk - 1) / perChunk;
  size_t fileLength = HEADER + (size_t)perChunk * RECORD;
  char path[4096];
  printf("{\"raw\":[");
  for (int rep = 0; rep < reps; rep++) {
    double t0 = now_s();
    for (long c = 0; c < chunks; c++) {
      long first = c * perChunk;
      long n = records - first < perChunk ? records - first : perChunk;
      snprintf(path, sizeof path, "%s/floor-%ld.chunk", dir, c);
      write_chunk(path, source + (size_t)first * RECORD, (size_t)n * RECORD, fileLength);
    }
    double seconds = now_s() - t0;
    for (long c = 0; c < chunks; c++) {
      snprintf(path, sizeof path, "%s/floor-%ld.chunk", dir, c);
      unlink(path);
    }
    printf("%s%.0f", rep ? "," : "", (double)records / seconds);
  }
  printf("]}\n");
  return 0;
}
