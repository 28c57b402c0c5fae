"""Start processes in the background with a PID file and a log file; stop them by PID."""

import os
import random
import signal
import socket
import subprocess
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path


class StartupError(RuntimeError):
    """A process did not become ready; the message carries the tail of its log."""


@dataclass(frozen=True)
class Spawned:
    name: str
    pid: int
    log_file: Path


def spawn(
    name: str,
    argv: list[str],
    run_dir: Path,
    env: dict[str, str] | None = None,
    cwd: Path | None = None,
) -> Spawned:
    running = read_pid(name, run_dir)
    if running is not None and is_alive(running):
        # its PID file would be overwritten, and the process left running with no record of it
        raise StartupError(f"{name} is running already (PID {running}); stop it first")
    logs = run_dir / "logs"
    pids = run_dir / "pids"
    logs.mkdir(parents=True, exist_ok=True)
    pids.mkdir(parents=True, exist_ok=True)
    log_file = logs / f"{name}.log"
    with open(log_file, "ab") as log:
        process = subprocess.Popen(
            argv,
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            env={**os.environ, **(env or {})},
            cwd=cwd,
            start_new_session=True,  # a Ctrl-C in the caller's terminal does not reach it
        )
    # Written whole or not at all: another thread (the benchmark's memory sampler) may read it
    written = pids / f"{name}.pid.new"
    written.write_text(str(process.pid))
    written.replace(pids / f"{name}.pid")
    return Spawned(name, process.pid, log_file)


def is_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:  # a zombie child of ours counts as gone
        finished, _ = os.waitpid(pid, os.WNOHANG)
        return finished == 0
    except ChildProcessError:
        return True


def read_pid(name: str, run_dir: Path) -> int | None:
    try:  # the file is gone once the process is stopped
        return int((run_dir / "pids" / f"{name}.pid").read_text().strip())
    except FileNotFoundError:
        return None


def stop(name: str, run_dir: Path, grace_seconds: float = 20.0) -> str:
    """SIGTERM the recorded PID, SIGKILL it after the grace period; remove the PID file."""
    pid = read_pid(name, run_dir)
    if pid is None:
        return "not started"
    pid_file = run_dir / "pids" / f"{name}.pid"
    if not is_alive(pid):
        pid_file.unlink(missing_ok=True)
        return "already stopped"
    os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + grace_seconds
    while time.monotonic() < deadline and is_alive(pid):
        time.sleep(0.1)
    outcome = "stopped"
    if is_alive(pid):
        os.kill(pid, signal.SIGKILL)
        outcome = "killed after grace period"
        while is_alive(pid):
            time.sleep(0.05)
    pid_file.unlink(missing_ok=True)
    return outcome


def port_is_open(host: str, port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.settimeout(0.5)
        return sock.connect_ex((host, port)) == 0


# Servers listen below the kernel's range of ephemeral ports (Linux: 32768-60999). A server
# killed and started again on its port must find it free, and any outgoing connection may be
# given a port of that range, even a client's retry to that very port, which the kernel then
# connects to itself while nothing listens there (seen: a restarted broker's "Address already
# in use").
LISTENING_PORTS_FROM = 10_000
EPHEMERAL_RANGE = Path("/proc/sys/net/ipv4/ip_local_port_range")
_handed_out: set[int] = set()


def free_port() -> int:
    return free_ports_in_a_row(1)


def free_ports_in_a_row(count: int) -> int:
    """The first of `count` consecutive loopback ports that are free now (a cluster's brokers
    take theirs in pairs, one after another), outside the ephemeral range where it can be."""
    below = _ephemeral_ports_start()
    if below - LISTENING_PORTS_FROM < 1_000:  # no room below it: any port the kernel gives
        return _kernel_given(count)
    while True:
        first = random.randrange(LISTENING_PORTS_FROM, below - count)
        chosen = range(first, first + count)
        # one not bound yet may already be handed out for a server still to start
        if _handed_out.isdisjoint(chosen) and all(_bindable(port) for port in chosen):
            _handed_out.update(chosen)
            return first


def _ephemeral_ports_start() -> int:
    try:
        return int(EPHEMERAL_RANGE.read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return 0


def _kernel_given(count: int) -> int:
    while True:
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
            sock.bind(("127.0.0.1", 0))
            first = int(sock.getsockname()[1])
        if first + count <= 65536 and all(_bindable(first + n) for n in range(1, count)):
            return first


def _bindable(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
        return True


def wait_until(spawned: Spawned, ready: Callable[[], bool], timeout: float, what: str) -> None:
    """Poll `ready` until it is true; fail early, with the log's tail, if the process died."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not is_alive(spawned.pid):
            raise StartupError(f"{spawned.name} exited while starting:\n{log_tail(spawned)}")
        try:
            if ready():
                return
        except Exception:  # noqa: BLE001 - any failure here only means "not ready yet"
            pass
        time.sleep(0.25)
    raise StartupError(f"{spawned.name} not {what} after {timeout:.0f}s:\n{log_tail(spawned)}")


def log_tail(spawned: Spawned, lines: int = 30) -> str:
    try:
        return "\n".join(spawned.log_file.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no log)"
