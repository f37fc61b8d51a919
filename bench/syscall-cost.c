// What one system call costs on this machine, however little it does: epoll_wait with no timeout on
// an empty epoll set (what an event loop's poll before sleeping costs) and getppid (the cheapest call).
// On this 2-core paravirtualized VM both cost about 1 us (session 16, bench/README.md), so each call
// a server makes per request shows in its system time.
//
//   gcc -O2 -o /tmp/syscall-cost bench/syscall-cost.c && /tmp/syscall-cost
#include <stdio.h>
#include <sys/epoll.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

static double now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec + t.tv_nsec / 1e9;
}

int main(void) {
  const int calls = 1000000;
  int epoll = epoll_create1(0);
  struct epoll_event events[64];
  double start = now();
  for (int i = 0; i < calls; i++) epoll_wait(epoll, events, 64, 0);
  double polls = now() - start;
  start = now();
  for (int i = 0; i < calls; i++) syscall(SYS_getppid);
  double getppids = now() - start;
  printf("epoll_wait (timeout 0) %.0f ns, getppid %.0f ns a call\n", polls / calls * 1e9, getppids / calls * 1e9);
  return 0;
}
