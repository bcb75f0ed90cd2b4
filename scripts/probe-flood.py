#!/usr/bin/env python3
"""Local-attacker probe: clients that pipeline requests and never read, and
clients that send a burst and close, against a running mfd. Prints the
daemon's RSS baseline, peak and settled value per phase, and a well-behaved
client's recommend latency (p50/p99) during each attack.

  scripts/probe-flood.py --socket S --pid PID [--attackers 20] [--seconds 10]

Standard library only. Figures: docs/reliability.md ("Local attacker")."""
import argparse, json, os, socket, threading, time


def rss_mib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def connect(path):
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.connect(path)
    return s


class Sampler(threading.Thread):
    def __init__(self, pid):
        super().__init__(daemon=True)
        self.pid, self.peak, self.stop = pid, 0.0, threading.Event()

    def run(self):
        while not self.stop.is_set():
            self.peak = max(self.peak, rss_mib(self.pid))
            time.sleep(0.05)


class GoodClient(threading.Thread):
    """Sequential recommend requests (n = 10) on one connection, timed."""

    def __init__(self, path, users):
        super().__init__(daemon=True)
        self.path, self.users, self.stop, self.lat, self.errors = path, users, threading.Event(), [], 0

    def run(self):
        s = connect(self.path)
        f = s.makefile("rb")
        i = 0
        while not self.stop.is_set():
            i += 1
            req = json.dumps({"id": i, "op": "recommend", "user": 1 + i % self.users, "n": 10}).encode() + b"\n"
            t = time.perf_counter()
            s.sendall(req)
            line = f.readline()
            if not line:
                self.errors += 1
                s = connect(self.path); f = s.makefile("rb")
                continue
            self.lat.append(time.perf_counter() - t)
            if not json.loads(line).get("ok"):
                self.errors += 1
        s.close()

    def percentile(self, q):
        xs = sorted(self.lat)
        return xs[min(len(xs) - 1, int(q * len(xs)))] * 1e3 if xs else float("nan")


def request_lines(users, n, count, start):
    return b"".join(json.dumps({"id": start + j, "op": "recommend", "user": 1 + (start + j) % users, "n": n}).encode() + b"\n"
                    for j in range(count))


def pipeliner(path, users, n, stop, sent):
    """Writes requests as fast as the socket takes them and never reads."""
    try:
        s = connect(path)
    except OSError:
        return
    s.settimeout(0.2)
    chunk = request_lines(users, n, 256, 0)
    while not stop.is_set():
        try:
            s.sendall(chunk)
            sent[0] += 256
        except socket.timeout:
            continue
        except OSError:
            break
    s.close()


def burster(path, users, n, size):
    """Sends `size` bytes of requests at once, then closes without reading."""
    try:
        s = connect(path)
        data = request_lines(users, n, size // 40, 0)[:size]
        s.settimeout(2)
        s.sendall(data)
    except OSError:
        pass
    finally:
        s.close()


def phase(name, args, attack):
    base = rss_mib(args.pid)
    sampler, good = Sampler(args.pid), GoodClient(args.socket, args.users)
    sampler.start(); good.start()
    time.sleep(0.5)
    attack()
    good.stop.set(); good.join()
    time.sleep(args.settle)
    sampler.stop.set(); sampler.join()
    after = rss_mib(args.pid)
    for k, v in [("rss_baseline_mib", base), ("rss_peak_mib", sampler.peak), ("rss_peak_over_baseline_mib", sampler.peak - base),
                 ("rss_after_mib", after), ("good_requests", len(good.lat)), ("good_errors", good.errors),
                 ("good_p50_ms", good.percentile(0.5)), ("good_p99_ms", good.percentile(0.99))]:
        print(f"probe {name} {k} {v:.2f}" if isinstance(v, float) else f"probe {name} {k} {v}", flush=True)


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--socket", required=True)
    p.add_argument("--pid", type=int, required=True)
    p.add_argument("--attackers", type=int, default=20)
    p.add_argument("--bursters", type=int, default=8)
    p.add_argument("--burst-bytes", type=int, default=4 << 20)
    p.add_argument("--seconds", type=float, default=10)
    p.add_argument("--settle", type=float, default=2)
    p.add_argument("--users", type=int, default=600)
    p.add_argument("--n", type=int, default=1000, help="recommend size the attackers ask for")
    args = p.parse_args()

    def pipeline_attack():
        stop, sent = threading.Event(), [0]
        ts = [threading.Thread(target=pipeliner, args=(args.socket, args.users, args.n, stop, sent), daemon=True)
              for _ in range(args.attackers)]
        for t in ts: t.start()
        time.sleep(args.seconds)
        stop.set()
        for t in ts: t.join()
        print(f"probe pipeline requests_written {sent[0]}", flush=True)

    def burst_attack():
        end = time.time() + args.seconds
        while time.time() < end:
            ts = [threading.Thread(target=burster, args=(args.socket, args.users, args.n, args.burst_bytes), daemon=True)
                  for _ in range(args.bursters)]
            for t in ts: t.start()
            for t in ts: t.join()

    phase("pipeline", args, pipeline_attack)
    phase("burst_close", args, burst_attack)


if __name__ == "__main__":
    main()
