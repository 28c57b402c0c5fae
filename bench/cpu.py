"""CPU time each process of the stack spends during a workload, read from the kernel: which
processes the machine's cores were busy with, and how much of the cores there was.

A process's figure is its own time and its descendants' still running (an API's gunicorn
workers), user and system together. The machine's figure is every core's busy time, the
benchmark's own clients and the kernel included.
"""

import os
from dataclasses import dataclass, field
from pathlib import Path

from bench.memory import family

TICKS_PER_SECOND = os.sysconf("SC_CLK_TCK")
BENCHMARK = "benchmark"  # this process: the workload's own clients


def own_seconds(pid: int) -> float:
    """User and system CPU seconds of one process (0 if it is gone)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return 0.0
    fields = stat.rsplit(")", 1)[1].split()  # after the command's name, which may hold spaces
    return (int(fields[11]) + int(fields[12])) / TICKS_PER_SECOND  # utime, stime


def process_seconds(pid: int) -> float:
    """User and system CPU seconds of a process and its living descendants."""
    return sum(own_seconds(member) for member in family(pid))


def machine_busy_seconds() -> float:
    """Busy CPU seconds of every core since boot (all but idle and waiting for the disk)."""
    first = Path("/proc/stat").read_text().splitlines()[0].split()
    ticks = [int(n) for n in first[1:]]
    idle, iowait = ticks[3], ticks[4]
    return (sum(ticks[:8]) - idle - iowait) / TICKS_PER_SECOND


@dataclass
class CpuUse:
    """CPU seconds spent from `start` to `stop`, by process name and by the whole machine."""

    processes: dict[str, int]
    began: dict[str, float] = field(default_factory=dict)
    spent: dict[str, float] = field(default_factory=dict)

    def _now(self) -> dict[str, float]:
        named = {name: process_seconds(pid) for name, pid in self.processes.items()}
        # the benchmark's own process alone: the stack's processes are its descendants
        return named | {BENCHMARK: own_seconds(os.getpid()), "": machine_busy_seconds()}

    def start(self) -> None:
        self.began = self._now()

    def stop(self) -> None:
        ended = self._now()
        self.spent = {name: round(ended[name] - self.began[name], 2) for name in ended}

    @property
    def machine_seconds(self) -> float:
        return self.spent.get("", 0.0)

    def by_process(self) -> dict[str, float]:
        """Seconds by process, most first."""
        named = {name: s for name, s in self.spent.items() if name}
        return dict(sorted(named.items(), key=lambda item: -item[1]))
