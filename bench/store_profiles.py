"""What each store (FerretDB, a Go program) spends its CPU on while a profiled workload runs:
`perf record` of its process, where `perf` is installed (Debian's `linux-perf`). Each store
gets `store-<service>.folded` (its stacks, one line each with its samples, as FlameGraph
tools read them) and `store-<service>.txt`, the share of its samples under each command of
the MongoDB protocol (`MsgInsert`, `MsgUpdate`, `MsgFind`...), the rest being the Go runtime,
garbage collection and the network."""

import re
import shutil
import signal
import subprocess
from collections import Counter
from pathlib import Path

RATE = 299  # samples a second, off the timer's multiples
COMMAND = re.compile(r"handler\.\(\*Handler\)\.(Msg\w+?)(?:-fm)?$")


def available() -> str | None:
    return shutil.which("perf")


def record(binary: str, pid: int, data: Path) -> subprocess.Popen:
    """Sample the process until `finish` is called."""
    return subprocess.Popen(
        [binary, "record", "-F", str(RATE), "-g", "-p", str(pid), "-o", str(data)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def finish(recording: subprocess.Popen, binary: str, data: Path) -> None:
    """Stop the recording and write the store's folded stacks and command shares beside it."""
    recording.send_signal(signal.SIGINT)  # perf writes its data on SIGINT
    recording.wait(timeout=60)
    script = subprocess.run(
        [binary, "script", "-i", str(data), "-F", "ip,sym"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    stacks = folded(script)
    name = data.name.removesuffix(".perf.data")
    lines = [f"{stack} {count}" for stack, count in stacks.most_common()]
    (data.parent / f"{name}.folded").write_text("\n".join(lines) + "\n")
    (data.parent / f"{name}.txt").write_text(summary(name, stacks))
    data.unlink()


def folded(script: str) -> Counter[str]:
    """`perf script -F ip,sym` output as folded stacks, root first: one sample is a block of
    frame lines (address, symbol), leaf first, and blocks are parted by a blank line."""
    stacks: Counter[str] = Counter()
    for block in script.split("\n\n"):
        frames = [line.split(None, 1)[1] for line in block.splitlines() if " " in line.strip()]
        if frames:
            stacks[";".join(reversed(frames))] += 1
    return stacks


def summary(name: str, stacks: Counter[str]) -> str:
    """The share of the samples under each command the store served."""
    total = sum(stacks.values())
    shares: Counter[str] = Counter()
    for stack, count in stacks.items():
        commands = [m.group(1) for f in stack.split(";") if (m := COMMAND.search(f))]
        shares[commands[0] if commands else "(no command: runtime, GC, network)"] += count
    lines = [f"{name}: {total} samples at {RATE} a second (perf)"]
    lines += [f"  {what:<40} {100 * n / total:5.1f}%" for what, n in shares.most_common()]
    return "\n".join(lines) + "\n"
