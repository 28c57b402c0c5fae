"""Optional sampling profiles of the stack's processes while one workload runs: `python -m
bench --profile "district import"` writes a flame graph per service process (py-spy) and,
where `perf` is installed, what each store spent its CPU on (`bench.store_profiles`)."""

import shutil
import signal
import subprocess
import sys
from pathlib import Path

from bench import store_profiles


class Profiles:
    def __init__(self, directory: Path, rate: int = 100) -> None:
        self.directory = directory
        self.rate = rate
        self.running: list[subprocess.Popen] = []
        self.stores: list[tuple[subprocess.Popen, Path]] = []  # perf recordings, and their data

    @staticmethod
    def available() -> str | None:
        found = Path(sys.executable).parent / "py-spy"
        return str(found) if found.exists() else shutil.which("py-spy")

    def start(self, processes: dict[str, int]) -> None:
        binary = self.available()
        if binary is None:
            raise RuntimeError("py-spy is not installed (pip install -r requirements-dev.txt)")
        self.directory.mkdir(parents=True, exist_ok=True)
        for name, pid in processes.items():
            if name.startswith("store-"):
                self._record_store(name, pid)
            if not name.endswith(("-api", "-worker")) and name != "portal":
                continue
            output = self.directory / f"{name}.svg"
            sampling = ["--subprocesses", "--rate", str(self.rate), "--nonblocking"]
            self.running.append(
                subprocess.Popen(
                    [binary, "record", "--pid", str(pid), *sampling, "--output", str(output)],
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                )
            )

    def _record_store(self, name: str, pid: int) -> None:
        perf = store_profiles.available()
        if perf is not None:
            data = self.directory / f"{name}.perf.data"
            self.stores.append((store_profiles.record(perf, pid, data), data))

    def stop(self) -> None:
        perf = store_profiles.available()
        for recording, data in self.stores:
            if perf is not None:
                store_profiles.finish(recording, perf, data)
        self.stores = []
        for process in self.running:
            process.send_signal(signal.SIGINT)  # py-spy writes its output on SIGINT
        for process in self.running:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        self.running = []
