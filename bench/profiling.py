"""Optional sampling profiles (py-spy) of the service processes while one workload runs:
`python -m bench --profile "district import"` writes a flame graph per process."""

import shutil
import signal
import subprocess
import sys
from pathlib import Path


class Profiles:
    def __init__(self, directory: Path, rate: int = 100) -> None:
        self.directory = directory
        self.rate = rate
        self.running: list[subprocess.Popen] = []

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

    def stop(self) -> None:
        for process in self.running:
            process.send_signal(signal.SIGINT)  # py-spy writes its output on SIGINT
        for process in self.running:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        self.running = []
