"""The district deployment's security, checked in docker-compose.yml and deploy/ without running
them: only the proxy is published; every other service is on internal networks, a store on its
service's alone; secrets are Docker secrets, never environment values; each MongoDB requires
authentication and TLS, and its service's user may read and write its own database only;
every image is pinned by digest; deploy/make-secrets writes every secret and certificate the
file needs, and the certificates are valid for the names the clients use.
"""

import os
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
import yaml
from test_compose import REPO, SERVICES, app_processes, environment, mounted_secrets

SECRET_NAME = re.compile(r"PASSWORD|SECRET|TOKENS?$|PRIVATE|CREDENTIAL|_KEY$")
URL = re.compile(r"[a-z][a-z0-9+.-]*://[^,\s]+")
DIGEST = re.compile(r"^[\w./-]+:[\w.-]+@sha256:[0-9a-f]{64}$")
PROXY_SITES = ("", "ops.", "intake.", "visits.", "allowances.")


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    return yaml.safe_load((REPO / "docker-compose.yml").read_text())


@pytest.fixture(scope="module")
def services(compose) -> dict[str, dict[str, Any]]:
    return compose["services"]


# services with a way out (and nothing published): the workers that deliver reminders
OUTBOUND = {"visits-worker": {"reminders-out"}, "allowances-worker": {"reminders-out"}}


def networks(definition: dict[str, Any]) -> set[str]:
    return set(definition.get("networks") or ["default"])


def test_only_the_proxy_is_published_and_only_on_https_and_its_redirect(compose, services):
    declared = compose["networks"]
    for name, definition in services.items():
        if name == "proxy":
            continue
        assert not definition.get("ports"), f"{name} publishes {definition.get('ports')}"
        for network in networks(definition) - OUTBOUND.get(name, set()):
            assert declared[network].get("internal") is True, f"{name} is on {network}"
    outbound = {
        name
        for name, definition in services.items()
        for network in networks(definition)
        if name != "proxy" and not (declared[network] or {}).get("internal")
    }
    assert outbound == set(OUTBOUND), "only the workers that send reminders reach out"
    proxy = services["proxy"]
    assert sorted(str(port) for port in proxy["ports"]) == ["443:443", "80:80"]
    outside = [n for n in networks(proxy) if not (declared[n] or {}).get("internal")]
    assert len(outside) == 1, "the proxy has one network with a route outside"
    assert "district" in networks(proxy), "and reaches the services on the internal one"


@pytest.mark.parametrize("svc", SERVICES)
def test_the_api_records_the_client_address_the_proxy_forwards(svc, services):
    assert environment(services[f"{svc}-api"])["ELDERCARE_PROXY_HOPS"] == "1"


@pytest.mark.parametrize("svc", SERVICES)
def test_a_store_shares_a_network_with_its_own_service_only(svc, services):
    store_network = f"{svc}-store"
    assert networks(services[f"mongo-{svc}"]) == {store_network}
    members = {name for name, d in services.items() if store_network in networks(d)}
    assert members == {f"mongo-{svc}", *app_processes(svc)}


def test_no_environment_value_is_a_secret(services):
    for name, definition in services.items():
        secrets = mounted_secrets(definition)
        for variable, value in environment(definition).items():
            if variable.endswith("_FILE"):
                assert value in secrets, f"{name}: {variable}={value} is not a mounted secret"
                continue
            assert not SECRET_NAME.search(variable), f"{name}: {variable} is in the environment"
            assert not re.search(r"password\s*=", value, re.I), f"{name}: {variable}"
            for url in URL.findall(value):
                assert urlsplit(url).username is None, f"{name}: {variable} has credentials"


def test_secrets_are_files_of_a_directory_git_never_takes(compose):
    declared = compose["secrets"]
    assert declared
    for name, spec in declared.items():
        assert set(spec) == {"file"}, f"{name} is not read from a file"
        assert Path(spec["file"]).parent == Path("secrets"), spec["file"]
    probe = subprocess.run(
        ["git", "check-ignore", "-q", "secrets/eldercare-tokens"], cwd=REPO, check=False
    )
    assert probe.returncode == 0, "secrets/ must be git-ignored"


@pytest.mark.parametrize("svc", SERVICES)
def test_the_store_requires_authentication_and_tls(svc, services):
    store = services[f"mongo-{svc}"]
    argv = [str(arg) for arg in store["command"]]
    assert argv[0] == "mongod" and "--auth" in argv
    assert argv[argv.index("--tlsMode") + 1] == "requireTLS"
    secrets = mounted_secrets(store)
    assert argv[argv.index("--tlsCertificateKeyFile") + 1] in secrets
    assert secrets[argv[argv.index("--tlsCAFile") + 1]] == "district_ca"
    probe = [str(arg) for arg in store["healthcheck"]["test"]]
    assert "--tls" in probe and secrets[probe[probe.index("--tlsCAFile") + 1]] == "district_ca"
    env = environment(store)
    assert env["MONGO_INITDB_ROOT_PASSWORD_FILE"] in secrets


@pytest.mark.parametrize("svc", SERVICES)
def test_the_service_user_is_created_for_its_own_database_only(svc, services):
    store = services[f"mongo-{svc}"]
    init = [v for v in store["volumes"] if str(v).endswith(":/docker-entrypoint-initdb.d:ro")]
    assert len(init) == 1, "the init scripts are mounted read-only"
    scripts = REPO / init[0].split(":", 1)[0]
    assert [p.name for p in scripts.iterdir()] == ["create-service-user.js"]
    script = (scripts / "create-service-user.js").read_text()
    assert 'roles: [{ role: "readWrite", db: database }]' in script
    assert "readFileSync(process.env.ELDERCARE_DB_PASSWORD_FILE" in script
    env = environment(store)
    assert env["ELDERCARE_DB"] == f"eldercare_{svc}"
    store_secrets = mounted_secrets(store)
    for name in app_processes(svc):
        app = environment(services[name])
        assert app["MONGO_USERNAME"] == env["ELDERCARE_DB_USER"], name
        assert app["MONGO_DB"] == env["ELDERCARE_DB"], name
        app_secrets = mounted_secrets(services[name])
        password = app_secrets[app["MONGO_PASSWORD_FILE"]]
        assert password == store_secrets[env["ELDERCARE_DB_PASSWORD_FILE"]], name
        assert password != store_secrets[env["MONGO_INITDB_ROOT_PASSWORD_FILE"]], name
        options = parse_qs(urlsplit(app["MONGO_URL"]).query)
        assert options["tls"] == ["true"], name
        assert app_secrets[options["tlsCAFile"][0]] == "district_ca", name
        assert options["authSource"] == [f"eldercare_{svc}"], name


def test_no_service_has_a_store_administrators_password(services):
    for name, definition in services.items():
        if not name.startswith("mongo-"):
            assert not any("root" in s for s in mounted_secrets(definition).values()), name


def test_every_image_is_pinned_by_digest(services):
    for name, definition in services.items():
        if "build" in definition:
            continue  # built here, from the Dockerfile's pinned base
        assert DIGEST.match(definition["image"]), f"{name}: {definition['image']}"
    base = (REPO / "Dockerfile").read_text().split("\nFROM ", 1)[1].split()[0]
    assert DIGEST.match(base), base


@pytest.fixture(scope="module")
def made_secrets(tmp_path_factory) -> Path:
    if shutil.which("openssl") is None:
        pytest.fail("openssl is needed (deploy/make-secrets uses it)")
    directory = tmp_path_factory.mktemp("deployment") / "secrets"
    run_make_secrets(directory)
    return directory


def run_make_secrets(directory: Path) -> str:
    result = subprocess.run(
        [str(REPO / "deploy" / "make-secrets"), str(directory)],
        env={**os.environ, "ELDERCARE_DOMAIN": "eldercare.district.example"},
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return result.stdout


def test_make_secrets_writes_every_secret_compose_reads_and_keeps_them(compose, made_secrets):
    for spec in compose["secrets"].values():
        path = made_secrets / Path(spec["file"]).name
        assert path.stat().st_size > 0, path.name
    before = {path.name: path.read_bytes() for path in made_secrets.iterdir()}
    assert "wrote" not in run_make_secrets(made_secrets)
    assert {path.name: path.read_bytes() for path in made_secrets.iterdir()} == before
    assert (made_secrets.stat().st_mode & 0o077) == 0, "the directory is its owner's alone"


def verify(made_secrets: Path, certificate: str, hostname: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [
            "openssl",
            "verify",
            "-CAfile",
            str(made_secrets / "district-ca.crt"),
            "-verify_hostname",
            hostname,
            str(made_secrets / certificate),
        ],
        capture_output=True,
        text=True,
        check=False,
    )


def test_the_certificates_are_the_district_cas_for_the_names_clients_use(made_secrets):
    for site in PROXY_SITES:
        result = verify(made_secrets, "proxy.crt", f"{site}eldercare.district.example")
        assert result.returncode == 0, result.stdout + result.stderr
    for svc in SERVICES:
        for host in (f"mongo-{svc}", "localhost"):
            result = verify(made_secrets, f"mongo-{svc}.pem", host)
            assert result.returncode == 0, result.stdout + result.stderr
    assert verify(made_secrets, "mongo-intake.pem", "mongo-visits").returncode != 0
    assert "PRIVATE KEY" in (made_secrets / "mongo-intake.pem").read_text()
