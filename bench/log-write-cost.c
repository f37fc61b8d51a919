// CPU cost of handing log records to the kernel, by the ways a segment could be written: one pwrite per
// batch of records (what SegmentedLog does once per pass), into an extending file or ahead-allocated
// blocks, or memcpy into a shared mapping of the file. Prints CPU (user + system) per record.
//
//   gcc -O2 -o /tmp/log-write-cost bench/log-write-cost.c && /tmp/log-write-cost /tmp
//
// On this 2-core paravirtualized VM (session 12, bench/README.md): a pwrite costs about 2 us however
// little it carries plus 13-50 ns a record, and a mapping's first write to each 4 KiB page faults
// (5-7 us), so writing through a mapping cost more than pwrite.
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <unistd.h>

static const long SegmentBytes = 64L << 20;

static double cpu_seconds(void) {
  struct rusage usage;
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_utime.tv_sec + usage.ru_utime.tv_usec / 1e6 + usage.ru_stime.tv_sec + usage.ru_stime.tv_usec / 1e6;
}

// mode: "pwrite", "pwrite-fallocate" (8 MiB of blocks allocated ahead), "mmap-fallocate" (whole segment),
// "mmap-populate" (as mmap-fallocate, with the pages made writable ahead by MADV_POPULATE_WRITE).
static void run(const char *dir, const char *mode, int record, int batch) {
  static char data[1 << 20];
  memset(data, 'x', sizeof data);
  char path[4096];
  snprintf(path, sizeof path, "%s/log-write-cost.%d", dir, getpid());
  int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0644);
  if (fd < 0) { perror(path); exit(1); }
  long records = SegmentBytes / record - batch;
  double start = cpu_seconds();
  if (strcmp(mode, "mmap-fallocate") == 0) {
    if (fallocate(fd, 0, 0, SegmentBytes) != 0) { perror("fallocate"); exit(1); }
    char *map = mmap(NULL, SegmentBytes, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    if (map == MAP_FAILED) { perror("mmap"); exit(1); }
    for (long i = 0, at = 0; i < records; i++, at += record) memcpy(map + at, data, record);
    munmap(map, SegmentBytes);
  } else if (strcmp(mode, "mmap-populate") == 0) {
    // As mmap-fallocate, but the pages are made writable ahead, 1 MiB per madvise, so no write faults.
    if (fallocate(fd, 0, 0, SegmentBytes) != 0) { perror("fallocate"); exit(1); }
    char *map = mmap(NULL, SegmentBytes, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    if (map == MAP_FAILED) { perror("mmap"); exit(1); }
    long populated = 0, chunk = 1L << 20;
    for (long i = 0, at = 0; i < records; i++, at += record) {
      if (at + record > populated && populated < SegmentBytes) {
        if (madvise(map + populated, chunk, MADV_POPULATE_WRITE) != 0) { perror("madvise"); exit(1); }
        populated += chunk;
      }
      memcpy(map + at, data, record);
    }
    munmap(map, SegmentBytes);
  } else {
    long prepared = 0, chunk = 8L << 20, at = 0;
    for (long i = 0; i < records; i += batch, at += (long)record * batch) {
      if (strcmp(mode, "pwrite-fallocate") == 0 && at + (long)record * batch > prepared) {
        fallocate(fd, FALLOC_FL_KEEP_SIZE, prepared, chunk);
        prepared += chunk;
      }
      if (pwrite(fd, data, (size_t)record * batch, at) < 0) { perror("pwrite"); exit(1); }
    }
  }
  printf("%-17s %4d-byte records, %4d a write: %6.1f ns CPU per record\n", mode, record, batch,
         (cpu_seconds() - start) * 1e9 / records);
  close(fd);
  unlink(path);
}

int main(int argc, char **argv) {
  const char *dir = argc > 1 ? argv[1] : "/tmp";
  int records[] = {70, 300};
  int batches[] = {16, 80, 256, 1000};
  for (int r = 0; r < 2; r++) {
    for (int b = 0; b < 4; b++) run(dir, "pwrite", records[r], batches[b]);
    run(dir, "pwrite-fallocate", records[r], 80);
    run(dir, "mmap-fallocate", records[r], 1);
    run(dir, "mmap-populate", records[r], 1);
  }
  return 0;
}
