"""What the benchmarks share: the machine they ran on, free ports, stopping cleanly.

Imported as `bench.common` (the scripts put the repository root on sys.path and take
bench/ off it, so that bench/funding.py never shadows the funding app).
"""

import datetime
import os
import platform
import re
import shlex
import signal
import socket
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


class BenchError(Exception):
    """Something the reader of the output must see; the bench stops."""


def raise_on_sigterm() -> None:
    """SIGTERM stops the bench like Ctrl-C, so its cleanup (servers, databases) runs."""

    def handler(signum, frame):
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, handler)


def free_port(host: str, ports: range, exclude: tuple[int, ...] = ()) -> int:
    """The first port of `ports` nothing listens on."""
    for port in ports:
        if port in exclude:
            continue
        with socket.socket() as probe:
            try:
                probe.bind((host, port))
            except OSError:
                continue
            return port
    raise BenchError(f"no free port in {ports.start}-{ports.stop - 1}")


def tree_cpu_seconds(pid: int) -> float:
    """CPU seconds used so far by `pid` and every process below it, whatever session each is
    in (`readerfund serve` starts granian in a session of its own)."""
    stats, children = {}, {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        child = int(stat.parent.name)
        stats[child] = int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15)
        children.setdefault(int(fields[1]), []).append(child)  # by parent
    ticks, queue = 0, [pid]
    while queue:
        current = queue.pop()
        ticks += stats.get(current, 0)
        queue.extend(children.get(current, []))
    return ticks / os.sysconf("SC_CLK_TCK")


def cpu_busy_percent(seconds: float = 1.0) -> float:
    """How busy all cores are, before the load starts, from /proc/stat's first line (others
    share this machine)."""

    def sample() -> tuple[int, int]:
        ticks = [int(n) for n in Path("/proc/stat").read_text().split("\n")[0].split()[1:]]
        return sum(ticks), ticks[3] + ticks[4]  # total; idle + iowait

    total0, idle0 = sample()
    time.sleep(seconds)
    total1, idle1 = sample()
    return 100.0 * (1 - (idle1 - idle0) / max(total1 - total0, 1))


def machine(**extra) -> dict:
    """The machine and the moment, with how busy it was just before: anything else running
    shares the cores with the bench."""
    cpuinfo = Path("/proc/cpuinfo").read_text()
    model = re.search(r"^model name\s*:\s*(.+)$", cpuinfo, re.MULTILINE)
    return {
        "nproc": len(os.sched_getaffinity(0)),
        "cpu": model.group(1).strip() if model else "unknown",
        "python": platform.python_version(),
        **extra,
        "date": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "cpu_busy_before_percent": round(cpu_busy_percent(), 1),
    }


def command_line() -> str:
    return shlex.join([os.path.relpath(sys.executable, ROOT), *sys.argv])
