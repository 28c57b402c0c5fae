"""Resident memory of each service process, sampled while the workloads run.

An API is a gunicorn master and its worker processes: its figure is their sum. The peak of
each process over its whole life is also read from the kernel (VmHWM) at the end.
"""

import threading
import time
from collections.abc import Callable
from pathlib import Path


def _status(pid: int) -> dict[str, int]:
    """VmRSS and VmHWM of a process, in KiB; empty if it is gone."""
    try:
        text = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return {}
    values = {}
    for line in text.splitlines():
        name, _, rest = line.partition(":")
        if name in ("VmRSS", "VmHWM"):
            values[name] = int(rest.split()[0])
    return values


def children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            found += [int(p) for p in (task / "children").read_text().split()]
        except OSError:
            continue
    return found


def family(pid: int) -> list[int]:
    """The process and its descendants."""
    pids, queue = [], [pid]
    while queue:
        current = queue.pop()
        pids.append(current)
        queue.extend(children(current))
    return pids


def rss_mib(pid: int) -> float:
    return sum(_status(p).get("VmRSS", 0) for p in family(pid)) / 1024


def hwm_mib(pid: int) -> float:
    """The sum over the process family of each process's lifetime peak."""
    return sum(_status(p).get("VmHWM", 0) for p in family(pid)) / 1024


class MemorySampler:
    """Samples the RSS of named processes in a thread; `mark` names the workload now running,
    so that each workload's peak is kept apart."""

    def __init__(self, processes: Callable[[], dict[str, int]], every: float = 0.25) -> None:
        self.processes = processes
        self.every = every
        self.workload = "start"
        self.peaks: dict[str, dict[str, float]] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="memory", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def mark(self, workload: str) -> None:
        self.workload = workload

    def sample(self) -> None:
        peaks = self.peaks.setdefault(self.workload, {})
        for name, pid in self.processes().items():
            peaks[name] = max(peaks.get(name, 0.0), round(rss_mib(pid), 1))

    def _run(self) -> None:
        while not self._stop.is_set():
            self.sample()
            self._stop.wait(self.every)

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=5)


def wait_for_exit(pid: int, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and Path(f"/proc/{pid}").exists():
        time.sleep(0.05)


def idle_interpreter_mib(modules: list[str], settle: float = 1.0) -> float:
    """RSS of a bare interpreter that has imported `modules` and does nothing else."""
    import subprocess
    import sys

    from devstack.paths import REPO_ROOT

    code = "import sys, time\n" + "".join(f"import {m}\n" for m in modules)
    code += "print('ready', flush=True)\ntime.sleep(30)\n"
    process = subprocess.Popen(
        [sys.executable, "-c", code], cwd=REPO_ROOT, stdout=subprocess.PIPE, text=True
    )
    try:
        assert process.stdout is not None
        process.stdout.readline()
        time.sleep(settle)
        return round(rss_mib(process.pid), 1)
    finally:
        process.kill()
        process.wait()
