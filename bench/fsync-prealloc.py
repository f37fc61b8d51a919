#!/usr/bin/env python3
"""fdatasync cost of small appends to a growing file against appends over zeros laid ahead.

What SegmentedLog's PreallocateBytes rests on: on ext4 an fdatasync that must also commit a new
file size (appending) is slower than one that flushes data alone (writing over zeros written
earlier). Runs in the current directory (the disk under test); see bench/README.md.

usage: bench/fsync-prealloc.py [-n SYNCS] [-s WRITE_BYTES]
"""
import argparse
import os
import time


def run(mode, syncs, size, chunk=1 << 20):
    path = f".fsync-prealloc-{os.getpid()}-{mode}"
    fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_TRUNC, 0o644)
    try:
        data, zeros, prepared, latencies = os.urandom(size), bytes(chunk), 0, []
        began = time.perf_counter()
        for i in range(syncs):
            end = (i + 1) * size
            # As SegmentedLog does: once the records come within half a chunk of the prepared end, prepare the next chunk.
            if mode != "append" and end + chunk // 2 > prepared:
                start = max(prepared, end)
                if mode == "zeros-ahead":
                    os.pwrite(fd, zeros, start)
                else:
                    os.posix_fallocate(fd, start, chunk)
                prepared = start + chunk
            os.pwrite(fd, data, i * size)
            t = time.perf_counter()
            os.fdatasync(fd)
            latencies.append(time.perf_counter() - t)
        elapsed = time.perf_counter() - began
    finally:
        os.close(fd)
        os.unlink(path)
    latencies.sort()
    print(f"{mode:16s} {syncs / elapsed:8.0f} syncs/s   fdatasync p50 {latencies[syncs // 2] * 1e6:5.0f} us"
          f"   p99 {latencies[syncs * 99 // 100] * 1e6:6.0f} us   max {latencies[-1] * 1e6:6.0f} us")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=3000, help="fdatasyncs per mode (default 3000)")
    parser.add_argument("-s", type=int, default=3000, help="bytes written before each fdatasync (default 3000)")
    args = parser.parse_args()
    for _ in range(2):
        for mode in ("append", "zeros-ahead", "fallocate-ahead"):
            run(mode, args.n, args.s)


if __name__ == "__main__":
    main()
