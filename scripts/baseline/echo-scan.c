/* The machine's floor for `mfbench serve`: a minimal C server on a Unix socket
 * (two epoll threads, like mfd's two event loops) that answers every request
 * line with a fixed recommend-sized reply, optionally after a dot-product scan
 * of ITEMS x 64 floats (built with -ffast-math so it vectorizes, as mfd's SIMD
 * kernel does; 2,000 items is about what mfd's pruned top-N scores per call).
 * No JSON parsing, no model, no SQLite: whatever tail latency `mfbench serve`
 * measures against it belongs to the machine and the client, not to mfd.
 *   echo-scan SOCKET [ITEMS]        (scripts/bench-baseline.sh runs it) */
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

static char reply[4096];
static size_t reply_len;
static float *factors;
static int items;
static volatile float sink;

/* s_i = Σ_c q[i][c]·p[c]; keeps the best, as a top-1 scan would. */
static void scan(unsigned seed) {
  float p[64], best = -1e30f;
  for (int c = 0; c < 64; c++) p[c] = (float)((seed + c) % 17) * 0.01f;
  for (int i = 0; i < items; i++) {
    const float *q = factors + (size_t)i * 64;
    float s = 0;
    for (int c = 0; c < 64; c++) s += q[c] * p[c];
    if (s > best) best = s;
  }
  sink = best;
}

static void *loop(void *arg) {
  int ep = *(int *)arg;
  struct epoll_event events[64];
  static __thread char in[65536], out[1 << 20];
  for (;;) {
    int n = epoll_wait(ep, events, 64, -1);
    for (int e = 0; e < n; e++) {
      int fd = events[e].data.fd;
      ssize_t got = read(fd, in, sizeof in);
      if (got <= 0) { close(fd); continue; }
      size_t len = 0;
      for (ssize_t k = 0; k < got; k++) {
        if (in[k] != '\n') continue;
        if (items) scan((unsigned)k);
        if (len + reply_len <= sizeof out) { memcpy(out + len, reply, reply_len); len += reply_len; }
      }
      if (len && write(fd, out, len) < 0) close(fd);
    }
  }
  return NULL;
}

int main(int argc, char **argv) {
  if (argc < 2) { fprintf(stderr, "usage: echo-scan SOCKET [ITEMS]\n"); return 2; }
  signal(SIGPIPE, SIG_IGN);
  items = argc > 2 ? atoi(argv[2]) : 0;
  factors = malloc((size_t)(items ? items : 1) * 64 * sizeof(float));
  for (size_t i = 0; i < (size_t)items * 64; i++) factors[i] = (float)(i % 97) * 0.001f;
  /* Ten titled items, the size of a real recommend reply (and what mfbench's catalogue call reads). */
  size_t at = (size_t)snprintf(reply, sizeof reply, "{\"id\":null,\"ok\":true,\"result\":{\"user\":1,\"items\":[");
  for (int i = 0; i < 10; i++)
    at += (size_t)snprintf(reply + at, sizeof reply - at,
                           "%s{\"item\":%d,\"score\":4.%d123,\"title\":\"Some Movie Title Number %d (1995)\",\"genres\":[\"Adventure\",\"Comedy\"]}",
                           i ? "," : "", 100 + i, i, i);
  at += (size_t)snprintf(reply + at, sizeof reply - at, "],\"source\":\"model\"}}\n");
  reply_len = at;
  int listener = socket(AF_UNIX, SOCK_STREAM, 0);
  struct sockaddr_un addr = {.sun_family = AF_UNIX};
  strncpy(addr.sun_path, argv[1], sizeof addr.sun_path - 1);
  unlink(argv[1]);
  if (bind(listener, (struct sockaddr *)&addr, sizeof addr) || listen(listener, 128)) { perror(argv[1]); return 1; }
  pthread_t threads[2];
  int eps[2];
  for (int t = 0; t < 2; t++) { eps[t] = epoll_create1(0); pthread_create(&threads[t], NULL, loop, &eps[t]); }
  for (unsigned k = 0;; k++) {
    int fd = accept(listener, NULL, NULL);
    if (fd < 0) continue;
    struct epoll_event ev = {.events = EPOLLIN, .data.fd = fd};
    epoll_ctl(eps[k % 2], EPOLL_CTL_ADD, fd, &ev);
  }
}
