"""CPU time on this machine: all of it, and the part the benchmark's own processes used.

Other work on the machine (another checkout's tests, say) slows the server and
the load generator alike; the difference between the two measures shows it.
"""

import os
import resource
from pathlib import Path

TICKS = os.sysconf("SC_CLK_TCK")


def busy_seconds() -> float:
    """CPU seconds every core has spent busy since boot (not idle or waiting)."""
    first = Path("/proc/stat").read_text().split("\n", 1)[0].split()
    user, nice, system, _idle, _iowait, irq, softirq = map(int, first[1:8])
    return (user + nice + system + irq + softirq) / TICKS


def tree_seconds(root: int) -> float:
    """CPU seconds of a process, its descendants and the children they reaped."""
    total = 0.0
    pending = [root]
    while pending:
        pid = pending.pop()
        try:
            stat = Path(f"/proc/{pid}/stat").read_text()
            children = Path(f"/proc/{pid}/task/{pid}/children").read_text()
        except (FileNotFoundError, ProcessLookupError):
            continue
        # Fields after the command name, which may itself hold spaces.
        fields = stat.rsplit(")", 1)[1].split()
        total += sum(int(value) for value in fields[11:15]) / TICKS
        pending.extend(int(child) for child in children.split())
    return total


def own_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


class Meter:
    """CPU used between start() and stop(), split into server, load and other."""

    def __init__(self, server_roots: list[int]):
        self.server_roots = server_roots

    def sample(self) -> tuple[float, float, float]:
        server = sum(tree_seconds(pid) for pid in self.server_roots)
        return busy_seconds(), server, own_seconds()

    def start(self) -> None:
        self.first = self.sample()

    def stop(self, elapsed: float) -> dict:
        busy, server, own = (
            b - a for a, b in zip(self.first, self.sample(), strict=True)
        )
        return {
            "server_cores": round(server / elapsed, 3),
            "load_cores": round(own / elapsed, 3),
            "other_cores": round(max(0.0, busy - server - own) / elapsed, 3),
        }
