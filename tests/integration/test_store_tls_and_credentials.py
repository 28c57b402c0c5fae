"""A service reaches its store as the deployment has it: over TLS, verified against the district
CA, logging in as its own user with the password from its secret file. The store is the
development one (FerretDB) with TLS only and authentication on, and the certificates and
passwords are those deploy/make-secrets writes for docker-compose.yml."""

import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from pymongo.errors import OperationFailure, ServerSelectionTimeoutError

from devstack.ferretdb import ferretdb_binary
from devstack.processes import free_port, port_is_open, spawn, stop, wait_until
from shared.config import Settings
from shared.mongo import connect

pytestmark = pytest.mark.integration

REPO = Path(__file__).resolve().parents[2]


def pem_blocks(path: Path) -> dict[str, str]:
    """{"CERTIFICATE": ..., "PRIVATE KEY": ...} of a file holding a certificate and its key."""
    blocks, current, kind = {}, [], ""
    for line in path.read_text().splitlines(keepends=True):
        if line.startswith("-----BEGIN "):
            kind, current = line.removeprefix("-----BEGIN ").strip().strip("-"), []
        current.append(line)
        if line.startswith("-----END "):
            blocks[kind] = "".join(current)
    return blocks


@pytest.fixture(scope="module")
def secrets_dir(tmp_path_factory) -> Path:
    directory = tmp_path_factory.mktemp("deployment") / "secrets"
    subprocess.run(
        [str(REPO / "deploy" / "make-secrets"), str(directory)],
        env={**os.environ, "ELDERCARE_DOMAIN": "eldercare.district.example"},
        capture_output=True,
        check=True,
        timeout=120,
    )
    return directory


@pytest.fixture(scope="module")
def store_port(secrets_dir, tmp_path_factory) -> Iterator[int]:
    """intake's store, as mongo-intake runs: TLS only, with the intake user of its database."""
    run_dir = tmp_path_factory.mktemp("store")
    blocks = pem_blocks(secrets_dir / "mongo-intake.pem")
    (run_dir / "cert.pem").write_text(blocks["CERTIFICATE"])
    (run_dir / "key.pem").write_text(blocks["PRIVATE KEY"])
    port = free_port()
    password = (secrets_dir / "mongo-intake-password").read_text().strip()
    spawned = spawn(
        "store",
        [
            str(ferretdb_binary()),
            "--handler=sqlite",
            f"--sqlite-url=file:{run_dir}/",
            "--listen-addr=",
            f"--listen-tls=127.0.0.1:{port}",
            f"--listen-tls-cert-file={run_dir / 'cert.pem'}",
            f"--listen-tls-key-file={run_dir / 'key.pem'}",
            "--test-enable-new-auth",
            "--setup-database=eldercare_intake",
            "--setup-username=intake",
            f"--setup-password={password}",
            "--telemetry=disable",
            "--log-level=warn",
            "--debug-addr=-",
            f"--state-dir={run_dir}",
        ],
        run_dir,
    )
    try:
        wait_until(spawned, lambda: port_is_open("127.0.0.1", port), 30, "listening")
        yield port
    finally:
        stop("store", run_dir, grace_seconds=5)


def intake_settings(secrets_dir: Path, port: int, password_file: str, tls: str) -> Settings:
    return Settings.from_env(
        "intake",
        {
            "MONGO_URL": f"mongodb://localhost:{port}/?{tls}&authSource=eldercare_intake",
            "MONGO_DB": "eldercare_intake",
            "MONGO_USERNAME": "intake",
            "MONGO_PASSWORD_FILE": str(secrets_dir / password_file),
        },
    )


def test_the_service_writes_and_reads_as_its_own_user_over_verified_tls(secrets_dir, store_port):
    ca = secrets_dir / "district-ca.crt"
    settings = intake_settings(
        secrets_dir, store_port, "mongo-intake-password", f"tls=true&tlsCAFile={ca}"
    )
    assert "mongo-intake-password" not in settings.mongo_url
    db = connect(settings)
    db.probe.insert_one({"_id": "tls", "by": "intake"})
    assert db.probe.find_one({"_id": "tls"}) == {"_id": "tls", "by": "intake"}


def test_another_password_is_refused(secrets_dir, store_port):
    ca = secrets_dir / "district-ca.crt"
    settings = intake_settings(
        secrets_dir, store_port, "mongo-visits-password", f"tls=true&tlsCAFile={ca}"
    )
    with pytest.raises(OperationFailure, match="Authentication failed"):
        connect(settings).probe.find_one({})


def test_a_store_certificate_the_district_ca_did_not_sign_is_refused(secrets_dir, store_port):
    settings = intake_settings(secrets_dir, store_port, "mongo-intake-password", "tls=true")
    with pytest.raises(ServerSelectionTimeoutError, match="CERTIFICATE_VERIFY_FAILED"):
        connect(settings).probe.find_one({})
