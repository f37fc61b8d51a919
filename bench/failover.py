#!/usr/bin/python3
"""Failover time of a RESP cluster: kill the leader, time the first acknowledged write after it.

Starts the nodes listed in a spec file, keeps one client writing `SET failover:last <seq>` (the
client tries every node in turn until one acknowledges), then repeats --kills times: find the
leader (the node whose ROLE says master and that a majority follows), SIGKILL it, measure from
the kill to the completion of the first write that was sent after the kill and acknowledged,
restart the killed node with the same command and data, and wait until its applied index (ROLE's
offset) reaches what the leader had applied then. After every round it reads the key back through
the client and checks no acknowledged write was lost.
Prints one line per kill and a summary line `failover seconds p50 X p90 Y max Z kills N`.

usage: bench/failover.py --spec FILE [--kills 20] [--timeout 2]
  spec: one node a line, `ID PORT LOG ARGV...`, ARGV shell-quoted, e.g.
        1 7001 /tmp/x/node-1.log dotnet dst-server.dll --port 7001 --node-id 1 --peers ...

Uses Debian's python3-redis (run with /usr/bin/python3). Every node it started is killed when it
exits, and the nodes die with it even if it is killed itself (setpriv --pdeathsig).
"""
import argparse
import math
import shlex
import signal
import subprocess
import sys
import threading
import time

import redis

KEY = "failover:last"
READY_SECONDS = 120  # start-up of a .NET server on a loaded 2-core machine
FIRST_WRITE_SECONDS = 60  # a failover slower than this is a failure, not a figure
CATCH_UP_SECONDS = 120


class Failure(Exception):
    pass


class Node:
    def __init__(self, line, timeout):
        fields = shlex.split(line)
        self.id, self.port, self.log, self.argv = fields[0], int(fields[1]), fields[2], fields[3:]
        self.proc = None
        self.client = redis.Redis(host="127.0.0.1", port=self.port, socket_timeout=timeout,
                                  socket_connect_timeout=timeout)

    def start(self):
        with open(self.log, "ab") as log:
            # setpriv (util-linux) sets the parent-death signal and execs the node: no Python code
            # runs between fork and exec (preexec_fn is unsafe while the writer thread runs).
            self.proc = subprocess.Popen(["setpriv", "--pdeathsig", "KILL", "--"] + self.argv, stdout=log,
                                         stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)

    def alive(self):
        return self.proc is not None and self.proc.poll() is None

    def answers(self):
        if not self.alive():
            raise Failure(f"node {self.id} exited with status {self.proc.returncode}")
        return self.client.ping()

    def kill(self):
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait()

    def leader_port(self):
        """From ROLE: this node's port if it says master, its master's port if it says slave."""
        reply = self.client.execute_command("ROLE")
        role = reply[0].decode() if isinstance(reply[0], bytes) else str(reply[0])
        if role == "master":
            return self.port
        if role == "slave":
            return int(reply[2])
        return None

    def tail(self, lines=30):
        try:
            with open(self.log, errors="replace") as f:
                return "".join(f.readlines()[-lines:])
        except OSError:
            return ""


def wait_for(condition, seconds, what):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if condition():
                return
        except (redis.exceptions.RedisError, OSError):
            pass
        time.sleep(0.02)
    raise Failure(f"timed out after {seconds} s waiting for {what}")


class Writer(threading.Thread):
    """One client writing as fast as it is answered, moving to the next node on any error."""

    def __init__(self, nodes):
        super().__init__(daemon=True)
        self.nodes = nodes
        self.current = 0
        self.seq = 0
        self.acked = 0  # highest seq acknowledged
        self.kill_time = None
        self.first_ack_after_kill = None
        self.after_kill = threading.Event()
        self.cond = threading.Condition()
        self.hold = False  # main thread asks the writer to stop between writes
        self.holding = False
        self.stopping = False
        self.errors = {}  # error kind -> count since the last arm()

    def run(self):
        failures = 0
        while True:
            with self.cond:
                if self.hold:
                    self.holding = True
                    self.cond.notify_all()
                    self.cond.wait_for(lambda: not self.hold or self.stopping)
                    self.holding = False
                if self.stopping:
                    return
            self.seq += 1
            seq = self.seq
            node = self.nodes[self.current]
            invoked = time.monotonic()
            try:
                node.client.set(KEY, seq)
            except (redis.exceptions.RedisError, OSError) as error:
                self.current = (self.current + 1) % len(self.nodes)
                failures += 1
                # What the client saw while there was no answer (timeouts, refused connects,
                # CLUSTERDOWN) tells where a slow failover spent its time.
                kind = str(error).split(" ", 1)[0] if isinstance(error, redis.exceptions.ResponseError) else type(error).__name__
                with self.cond:
                    self.errors[kind] = self.errors.get(kind, 0) + 1
                if failures % len(self.nodes) == 0:
                    time.sleep(0.002)  # every node refused: do not spin on refused connections
                continue
            completed = time.monotonic()
            failures = 0
            with self.cond:
                self.acked = seq
                if self.kill_time is not None and self.first_ack_after_kill is None and invoked >= self.kill_time:
                    self.first_ack_after_kill = completed
                    self.after_kill.set()

    def arm(self, kill_time):
        with self.cond:
            self.kill_time = kill_time
            self.first_ack_after_kill = None
            self.after_kill.clear()
            self.errors = {}

    def acked_count(self):
        with self.cond:
            return self.acked

    def pause(self):
        with self.cond:
            self.hold = True
            self.cond.wait_for(lambda: self.holding)

    def resume(self):
        with self.cond:
            self.hold = False
            self.cond.notify_all()

    def stop(self):
        with self.cond:
            self.stopping = True
            self.cond.notify_all()


def find_leader(nodes):
    """The node a majority of all nodes names as leader (a master names itself, a slave its
    master's port in ROLE) and that says master itself: a deposed leader that has not heard of
    the new term yet still says master, but the others no longer follow it."""
    votes = {}
    for node in nodes:
        if not node.alive():
            continue
        try:
            port = node.leader_port()
        except (redis.exceptions.RedisError, OSError, ValueError, IndexError):
            continue
        if port is not None:
            votes[port] = votes.get(port, 0) + 1
    for node in nodes:
        if node.alive() and votes.get(node.port, 0) > len(nodes) // 2:
            try:
                if node.leader_port() == node.port:
                    return node
            except (redis.exceptions.RedisError, OSError, ValueError, IndexError):
                pass
    return None


def applied_index(node):
    """The applied log index ROLE reports: `master <offset> ...` or `slave host port state <offset>`."""
    reply = node.client.execute_command("ROLE")
    role = reply[0].decode() if isinstance(reply[0], bytes) else str(reply[0])
    return int(reply[1] if role == "master" else reply[4])


def leader_applied_index(nodes):
    leader = find_leader(nodes)
    if leader is None:
        raise redis.exceptions.ConnectionError("no leader")
    return applied_index(leader)


def check_no_lost_write(writer):
    """With the writer held, read the key through the node it writes to (a linearizable read on
    Dst, wherever it lands) and compare with the last acknowledged value."""
    writer.pause()
    try:
        acked = writer.acked_count()
        for _ in range(3 * len(writer.nodes)):
            node = writer.nodes[writer.current]
            try:
                value = node.client.get(KEY)
                break
            except (redis.exceptions.RedisError, OSError):
                writer.current = (writer.current + 1) % len(writer.nodes)
                time.sleep(0.1)
        else:
            raise Failure("no node answered GET after a round")
        if value is None or int(value) < acked:
            raise Failure(f"lost write: {KEY} = {value!r} but {acked} was acknowledged")
    finally:
        writer.resume()


def percentile(values, p):
    ordered = sorted(values)
    return ordered[max(0, math.ceil(p * len(ordered)) - 1)]


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--spec", required=True)
    parser.add_argument("--kills", type=int, default=20)
    parser.add_argument("--timeout", type=float, default=2.0, help="client socket timeout, seconds")
    args = parser.parse_args()
    with open(args.spec) as f:
        nodes = [Node(line, args.timeout) for line in f if line.strip()]
    # SIGTERM (the bench script's cleanup) unwinds through the finally below.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    writer = None
    try:
        for node in nodes:
            node.start()
        for node in nodes:
            wait_for(node.answers, READY_SECONDS, f"node {node.id} to answer PING")
        wait_for(lambda: find_leader(nodes) is not None, READY_SECONDS, "a leader")
        writer = Writer(nodes)
        writer.start()
        times = []
        for kill in range(1, args.kills + 1):
            # Writes flowing before the kill, so the measurement starts from a working cluster.
            before = writer.acked_count()
            wait_for(lambda: writer.acked_count() >= before + 10, READY_SECONDS, "writes before the kill")
            leader = None

            def leader_found():
                nonlocal leader
                leader = find_leader(nodes)
                return leader is not None
            wait_for(leader_found, READY_SECONDS, "a leader before the kill")
            pid = leader.proc.pid
            kill_time = time.monotonic()
            writer.arm(kill_time)
            leader.kill()
            if not writer.after_kill.wait(FIRST_WRITE_SECONDS):
                raise Failure(f"no write acknowledged within {FIRST_WRITE_SECONDS} s of killing node {leader.id}")
            seconds = writer.first_ack_after_kill - kill_time
            with writer.cond:
                errors = ", ".join(f"{kind} x{count}" for kind, count in sorted(writer.errors.items())) or "none"
            times.append(seconds)
            restart_time = time.monotonic()
            leader.start()
            wait_for(leader.answers, READY_SECONDS, f"node {leader.id} to answer PING after restart")
            # A fixed target (what the leader had applied when the node came back): a moving one
            # would chase a leader that applies a write every millisecond.
            target = None

            def target_read():
                nonlocal target
                target = leader_applied_index(nodes)
                return True
            wait_for(target_read, READY_SECONDS, "the leader's applied index")
            wait_for(lambda: applied_index(leader) >= target, CATCH_UP_SECONDS, f"node {leader.id} to catch up")
            caught = time.monotonic() - restart_time
            check_no_lost_write(writer)
            print(f"kill {kill:3}: leader node {leader.id} (pid {pid}): first write acknowledged after "
                  f"{seconds:.3f} s (errors meanwhile: {errors}); restarted, caught up in {caught:.1f} s; {writer.acked_count()} writes so far",
                  flush=True)
        print(f"failover seconds p50 {percentile(times, 0.5):.3f} p90 {percentile(times, 0.9):.3f} "
              f"max {max(times):.3f} kills {len(times)}", flush=True)
    except Failure as e:
        print(f"failover: {e}", file=sys.stderr)
        for node in nodes:
            print(f"--- node {node.id} log tail ({node.log}):\n{node.tail()}", file=sys.stderr)
        return 1
    finally:
        if writer is not None:
            writer.stop()
        for node in nodes:
            if node.alive():
                node.kill()
    return 0


if __name__ == "__main__":
    sys.exit(main())
