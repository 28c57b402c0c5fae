"""Command-line tools built once from the Go module proxy and cached, like FerretDB.

The deployment's checks use them: Compose v2 reads docker-compose.yml as `docker compose` does,
and Caddy validates deploy/Caddyfile as the proxy's image would, with no Docker engine here.
"""

import fcntl
import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from devstack.paths import cache_dir


@dataclass(frozen=True)
class GoTool:
    name: str
    module: str
    version: str
    package: str  # the main package, relative to the module's root

    @property
    def binary(self) -> Path:
        return cache_dir() / f"{self.name}-{self.version}" / self.name


COMPOSE = GoTool("docker-compose", "github.com/docker/compose/v2", "v2.40.3", "./cmd")
# The same version as the proxy's image in docker-compose.yml.
CADDY = GoTool("caddy", "github.com/caddyserver/caddy/v2", "v2.11.4", "./cmd/caddy")


def go_binary(tool: GoTool) -> Path:
    """The tool's binary, built the first time.

    Built from a copy of the module's source as the main module: `go install module@version`
    refuses modules whose go.mod has replace or exclude directives, as Compose's has.
    """
    binary = tool.binary
    if binary.exists():
        return binary
    binary.parent.mkdir(parents=True, exist_ok=True)
    with open(binary.parent / ".lock", "w") as lock:  # another process may be building it
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not binary.exists():
            _build(tool, binary)
    return binary


def _build(tool: GoTool, binary: Path) -> None:
    if shutil.which("go") is None:
        raise RuntimeError(f"Go is needed once to build {tool.name}; install Go 1.22 or newer")
    print(f"devstack: building {tool.name} {tool.version} (once)", flush=True)
    env = {**os.environ, "GOFLAGS": "-mod=mod"}
    spec = f"{tool.module}@{tool.version}"
    subprocess.run(["go", "mod", "download", spec], check=True, env=env)
    module_dir = subprocess.run(
        ["go", "list", "-m", "-f", "{{.Dir}}", spec],
        check=True,
        capture_output=True,
        text=True,
        env=env,
    ).stdout.strip()
    source = binary.parent / "src"
    shutil.rmtree(source, ignore_errors=True)
    shutil.copytree(module_dir, source)
    for path in source.rglob("*"):
        path.chmod(path.stat().st_mode | 0o200)
    subprocess.run(
        ["go", "build", "-o", str(binary), tool.package], cwd=source, check=True, env=env
    )
    shutil.rmtree(source, ignore_errors=True)
