"""PostgreSQL on loopback, as FerretDB's other backend (`ELDERCARE_STORE_BACKEND=postgresql`).

Debian's PostgreSQL 15 (`apt-get install postgresql-15`); one server per run directory, with a
database per service's store, as a deployment would give each service its own.
"""

import hashlib
import os
import pwd
import shutil
import subprocess
import tempfile
from pathlib import Path

from devstack.processes import free_port, is_alive, read_pid, spawn, wait_until

NAME = "postgres"
ROLE = "eldercare"  # the cluster's superuser; loopback only, trusted
# PostgreSQL will not run as root: as root, the server runs as Debian's `postgres` user.
SYSTEM_USER = "postgres"
# A commit is written to the operating system at once and synced to disk by the WAL writer
# within 200 ms, not at every commit: as the SQLite backend's synchronous=NORMAL, a commit
# survives the store's process being killed, and an operating-system crash may lose the last
# moments. With the default (synchronous_commit=on), every insert waits for the disk.
SETTINGS = {
    "listen_addresses": "127.0.0.1",
    "synchronous_commit": "off",
    "max_connections": "200",  # three FerretDBs, each with a pool
    "shared_buffers": "256MB",
}


def postgres_bin_dir() -> Path:
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/postgres"))
    if found:
        return found[-1].parent
    on_path = shutil.which("postgres")
    if on_path:
        return Path(on_path).parent
    raise RuntimeError(
        "PostgreSQL's server is needed for ELDERCARE_STORE_BACKEND=postgresql: "
        "apt-get install postgresql-15"
    )


def postgres_url(run_dir: Path, database: str) -> str:
    """The URL of `database` on the run's server, started (and the database created) if need be."""
    port = _running_port(run_dir) or _start(run_dir)
    _create_database(run_dir, port, database)
    return f"postgres://{ROLE}@127.0.0.1:{port}/{database}"


def forget_postgres(run_dir: Path) -> None:
    """Remove the run's cluster (its server stopped): for a run directory that goes too."""
    shutil.rmtree(_data_dir(run_dir), ignore_errors=True)


def _data_dir(run_dir: Path) -> Path:
    """Outside the run directory, which the server's user (as root, not ours) may not reach."""
    digest = hashlib.sha256(str(run_dir.resolve()).encode()).hexdigest()[:12]
    return Path(tempfile.gettempdir()) / f"eldercare-postgres-{digest}"


def _running_port(run_dir: Path) -> int | None:
    pid = read_pid(NAME, run_dir)
    port_file = _data_dir(run_dir) / "port"
    if pid is None or not is_alive(pid) or not port_file.exists():
        return None
    return int(port_file.read_text())


def _start(run_dir: Path, timeout: float = 60.0) -> int:
    data_dir = _data_dir(run_dir)
    cluster = data_dir / "cluster"
    if not (cluster / "PG_VERSION").exists():
        data_dir.mkdir(parents=True, exist_ok=True)
        _hand_over(data_dir)
        initdb = [str(postgres_bin_dir() / "initdb"), "-D", str(cluster), "-U", ROLE]
        _run([*initdb, "--auth=trust", "--encoding=UTF8", "--locale=C.UTF-8"])
    port = free_port()
    settings = [f"--{key}={value}" for key, value in SETTINGS.items()]
    argv = [str(postgres_bin_dir() / "postgres"), "-D", str(cluster), "-p", str(port)]
    argv += ["-k", str(data_dir), *settings]
    spawned = spawn(NAME, _as_server_user(argv), run_dir)
    wait_until(spawned, lambda: _ready(data_dir, port), timeout, "accepting connections")
    (data_dir / "port").write_text(str(port))
    return port


def _create_database(run_dir: Path, port: int, database: str) -> None:
    client = ["-h", str(_data_dir(run_dir)), "-p", str(port), "-U", ROLE]
    query = f"SELECT 1 FROM pg_database WHERE datname = '{database}'"
    found = _run([str(postgres_bin_dir() / "psql"), *client, "-d", "postgres", "-tAc", query])
    if found.strip() != "1":
        _run([str(postgres_bin_dir() / "createdb"), *client, database])


def _ready(socket_dir: Path, port: int) -> bool:
    command = [str(postgres_bin_dir() / "pg_isready"), "-h", str(socket_dir), "-p", str(port)]
    return subprocess.run(command, capture_output=True).returncode == 0


def _as_server_user(argv: list[str]) -> list[str]:
    if os.geteuid() != 0:
        return argv
    return ["setpriv", f"--reuid={SYSTEM_USER}", f"--regid={SYSTEM_USER}", "--init-groups", *argv]


def _hand_over(data_dir: Path) -> None:
    """As root, the server's user owns its directory."""
    data_dir.chmod(0o700)
    if os.geteuid() == 0:
        user = pwd.getpwnam(SYSTEM_USER)
        os.chown(data_dir, user.pw_uid, user.pw_gid)


def _run(argv: list[str]) -> str:
    result = subprocess.run(_as_server_user(argv), capture_output=True, text=True)
    if result.returncode != 0:
        raise RuntimeError(f"{Path(argv[0]).name} failed:\n{result.stderr or result.stdout}")
    return result.stdout
