"""The district deployment (docker-compose.yml and the Dockerfile), checked without running it.

What is checked: Kafka is Apache Kafka in KRaft mode; every service has its own MongoDB on its
own volume and reaches no other; every service runs as an API and a worker, started only once
Kafka and its store are healthy, with commands that name modules present in this repository;
everything long-running has a healthcheck; the image installs the locked requirements and runs
as an unprivileged user. The deployment's security (secrets, networks, the stores' users and
TLS, pinned images) is checked in test_deployment_security.py, the proxy in test_proxy.py.
"""

import importlib.util
import os
import re
import shlex
import subprocess
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
import yaml

from devstack.gobuild import COMPOSE, go_binary

REPO = Path(__file__).resolve().parents[2]
SERVICES = ("intake", "visits", "allowances")


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    loaded = yaml.safe_load((REPO / "docker-compose.yml").read_text())
    assert isinstance(loaded, dict)
    assert isinstance(loaded.get("services"), dict)
    return loaded


@pytest.fixture(scope="module")
def services(compose: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return compose["services"]


def environment(definition: dict[str, Any]) -> dict[str, str]:
    """A service's environment, written either as a mapping or as a list of NAME=value."""
    env = definition.get("environment") or {}
    if isinstance(env, list):
        return dict(item.split("=", 1) if "=" in item else (item, "") for item in env)
    return {name: "" if value is None else str(value) for name, value in env.items()}


def mounted_secrets(definition: dict[str, Any]) -> dict[str, str]:
    """{path inside the container: secret name} of a service's secrets."""
    mounted = {}
    for entry in definition.get("secrets") or []:
        source, target = (
            (entry, entry)
            if isinstance(entry, str)
            else (entry["source"], entry.get("target", entry["source"]))
        )
        path = target if target.startswith("/") else f"/run/secrets/{target}"
        mounted[path] = source
    return mounted


def dependencies(definition: dict[str, Any]) -> dict[str, str]:
    """depends_on as {service: condition}; the short list form means service_started."""
    depends = definition.get("depends_on") or {}
    if isinstance(depends, list):
        return dict.fromkeys(depends, "service_started")
    return {
        name: (spec or {}).get("condition", "service_started") for name, spec in depends.items()
    }


def command(definition: dict[str, Any]) -> list[str]:
    cmd = definition.get("command")
    assert cmd, "no command"
    return shlex.split(cmd) if isinstance(cmd, str) else [str(part) for part in cmd]


def named_volumes(definition: dict[str, Any]) -> list[str]:
    """The named volumes a service mounts (bind mounts of host paths are not volumes)."""
    names = []
    for volume in definition.get("volumes") or []:
        source = volume.get("source") if isinstance(volume, dict) else volume.split(":", 1)[0]
        if source and not source.startswith((".", "/", "~")):
            names.append(source)
    return names


def app_processes(svc: str) -> tuple[str, str]:
    return f"{svc}-api", f"{svc}-worker"


def entrypoint_module(target: str) -> str:
    """`services.x.entrypoints.app:create_app()` -> `services.x.entrypoints.app`."""
    return target.split(":", 1)[0]


def api_target(svc: str, services: dict[str, dict[str, Any]]) -> str:
    argv = command(services[f"{svc}-api"])
    targets = [arg for arg in argv if arg.endswith(":create_app()")]
    assert len(targets) == 1, f"{svc}-api: expected one app target in {argv}"
    return targets[0]


def worker_module(svc: str, services: dict[str, dict[str, Any]]) -> str:
    argv = command(services[f"{svc}-worker"])
    assert "-m" in argv, f"{svc}-worker does not run a module: {argv}"
    return argv[argv.index("-m") + 1]


def test_kafka_is_apache_kafka_in_kraft_combined_mode(compose, services):
    kafka = services["kafka"]
    assert kafka["image"].startswith("apache/kafka:")
    env = environment(kafka)
    roles = {role.strip() for role in env["KAFKA_PROCESS_ROLES"].split(",")}
    assert roles == {"broker", "controller"}
    assert not any("ZOOKEEPER" in name for name in env), "KRaft needs no ZooKeeper"
    assert env["KAFKA_CONTROLLER_QUORUM_VOTERS"]
    assert "CONTROLLER" in env["KAFKA_CONTROLLER_LISTENER_NAMES"]
    assert "BROKER://kafka:9092" in env["KAFKA_ADVERTISED_LISTENERS"].split(",")
    assert env["KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR"] == "1"
    assert env["KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR"] == "1"
    volumes = named_volumes(kafka)
    assert volumes, "Kafka's log directory must live on a named volume"
    assert set(volumes) <= set(compose.get("volumes") or {})


def test_kafka_lets_in_only_who_signs_in_and_authorises_by_acls(services):
    env = environment(services["kafka"])
    protocols = dict(
        item.split(":") for item in env["KAFKA_LISTENER_SECURITY_PROTOCOL_MAP"].split(",")
    )
    assert protocols["BROKER"] == "SASL_SSL"
    assert env["KAFKA_SASL_ENABLED_MECHANISMS"] == "SCRAM-SHA-512"
    assert env["KAFKA_AUTHORIZER_CLASS_NAME"].endswith("StandardAuthorizer")
    assert env["KAFKA_ALLOW_EVERYONE_IF_NO_ACL_FOUND"] == "false"
    assert "CONTROLLER://127.0.0.1:" in env["KAFKA_LISTENERS"], "the controller stays inside"
    script = REPO / "deploy" / "kafka-secured.sh"
    assert f"./deploy/{script.name}:" in " ".join(services["kafka"]["volumes"])
    assert script.exists()


@pytest.mark.parametrize(("name", "principal"), [
    *((f"{svc}-{role}", svc) for svc in SERVICES for role in ("api", "worker")),
    ("ops", "operator"),
])  # fmt: skip
def test_each_process_signs_in_to_kafka_as_its_own_principal(name, principal, services):
    env = environment(services[name])
    assert env["KAFKA_SECURITY_PROTOCOL"] == "SASL_SSL"
    assert env["KAFKA_SASL_USERNAME"] == principal
    # the password is a secret, the same one the broker's user was made with
    assert "KAFKA_SASL_PASSWORD" not in env, "no password in the file"
    secret = mounted_secrets(services[name])[env["KAFKA_SASL_PASSWORD_FILE"]]
    assert secret == f"kafka_{principal}_password"
    assert mounted_secrets(services["kafka"])[f"/run/secrets/kafka-password-{principal}"] == secret
    ca_mount = [v for v in services[name]["volumes"] if v.startswith("kafka-ca:")]
    assert ca_mount and env["KAFKA_SSL_CAFILE"].startswith(ca_mount[0].split(":")[1])


def test_one_mongo_per_service_each_on_its_own_volume(compose, services):
    declared = set(compose.get("volumes") or {})
    seen: dict[str, str] = {}
    for svc in SERVICES:
        store = services[f"mongo-{svc}"]
        assert store["image"].startswith("mongo:")
        volumes = named_volumes(store)
        assert volumes, f"mongo-{svc} has no named volume"
        for volume in volumes:
            assert volume in declared, f"{volume} is not declared under top-level volumes"
            assert volume not in seen, f"{volume} is shared by mongo-{seen[volume]} and mongo-{svc}"
            seen[volume] = svc
    stores = sorted(name for name, d in services.items() if d.get("image", "").startswith("mongo"))
    assert stores == sorted(f"mongo-{svc}" for svc in SERVICES)


@pytest.mark.parametrize("svc", SERVICES)
def test_each_service_runs_an_api_and_a_worker_from_the_project_image(svc, services):
    api, worker = (services[name] for name in app_processes(svc))
    for definition in (api, worker):
        assert definition.get("build") in (".", {"context": "."})
        assert definition["image"] == services["intake-api"]["image"]
        assert definition.get("restart") == "unless-stopped"
        assert not definition.get("ports"), "reached through the proxy only"


@pytest.mark.parametrize("svc", SERVICES)
def test_each_service_reaches_its_own_mongo_and_no_other(svc, services):
    for name in app_processes(svc):
        definition = services[name]
        env = environment(definition)
        assert urlsplit(env["MONGO_URL"]).hostname == f"mongo-{svc}", name
        assert env["MONGO_DB"] == f"eldercare_{svc}", name
        text = yaml.safe_dump(definition)
        for other in SERVICES:
            if other != svc:
                assert f"mongo-{other}" not in text, f"{name} refers to mongo-{other}"


@pytest.mark.parametrize("svc", SERVICES)
def test_each_service_is_configured_for_the_district(svc, services):
    for name in app_processes(svc):
        env = environment(services[name])
        assert env["KAFKA_BOOTSTRAP_SERVERS"] == "kafka:9092", name
        # No token is in the file: they are a Docker secret.
        tokens = mounted_secrets(services[name])[env["ELDERCARE_TOKENS_FILE"]]
        assert tokens == "eldercare_tokens", name
        for variable in ("ELDERCARE_DISTRICT", "ELDERCARE_TIMEZONE", "LOG_LEVEL"):
            assert env[variable].startswith(f"${{{variable}"), f"{name}: {variable}"
    assert environment(services[f"{svc}-worker"])["METRICS_PORT"] == "9100"


def test_every_long_running_service_has_a_healthcheck(services):
    # Every service in the district is long-running: there are no one-off jobs.
    for name, definition in services.items():
        check = definition.get("healthcheck") or {}
        assert not check.get("disable"), name
        assert check.get("test"), f"{name} has no healthcheck"
    # kafka, a mongo + api + worker per service, the console, the workbench and the proxy
    assert len(services) == 1 + 3 * len(SERVICES) + 3, sorted(services)


def test_the_console_watches_every_api_and_worker_and_no_database(services):
    console = services["ops"]
    assert "ops.entrypoints.app:create_app()" in console["command"]
    environment = console["environment"]
    for svc in SERVICES:
        assert f"{svc}=http://{svc}-api:8000" in environment["OPS_APIS"]
        assert f"{svc}=http://{svc}-worker:9100/metrics" in environment["OPS_WORKER_METRICS"]
    assert "MONGO_URL" not in environment
    assert importlib.util.find_spec("ops.entrypoints.app") is not None


def test_the_workbench_calls_every_api_and_reaches_no_database_nor_kafka(services):
    portal = services["portal"]
    assert "portal.app:create_app()" in command(portal)
    assert not portal.get("ports"), "reached through the proxy only"
    env = environment(portal)
    for svc in SERVICES:
        assert f"{svc}=http://{svc}-api:8000" in env["PORTAL_APIS"].split(",")
        assert dependencies(portal).get(f"{svc}-api") == "service_healthy"
    key = mounted_secrets(portal)[env["PORTAL_SECRET_KEY_FILE"]]
    assert key == "portal_secret_key", "no key in the file"
    assert env["PORTAL_SECURE_COOKIES"] == "true", "staff reach it over HTTPS only"
    text = yaml.safe_dump(portal)
    assert "MONGO_URL" not in text and "mongo-" not in text and "KAFKA" not in text
    assert "/healthz" in " ".join(portal["healthcheck"]["test"])
    app = importlib.util.find_spec("portal.app")
    assert app is not None and app.origin
    assert "def create_app(" in Path(app.origin).read_text()


def test_staff_can_sign_in_with_a_secret_given_to_every_service(services):
    for svc in SERVICES:
        for name in app_processes(svc):
            path = environment(services[name])["ELDERCARE_SECRET_KEY_FILE"]
            assert mounted_secrets(services[name])[path] == "eldercare_secret_key", name


@pytest.mark.parametrize("svc", SERVICES)
def test_api_and_worker_start_once_kafka_and_their_mongo_are_healthy(svc, services):
    for name in app_processes(svc):
        depends = dependencies(services[name])
        assert depends.get("kafka") == "service_healthy", name
        assert depends.get(f"mongo-{svc}") == "service_healthy", name


@pytest.mark.parametrize("svc", SERVICES)
def test_the_api_runs_gunicorn_on_the_service_app_factory(svc, services):
    argv = command(services[f"{svc}-api"])
    assert argv[0] == "gunicorn"
    assert argv[argv.index("--bind") + 1] == "0.0.0.0:8000"
    assert api_target(svc, services) == f"services.{svc}.entrypoints.app:create_app()"
    probe = " ".join(services[f"{svc}-api"]["healthcheck"]["test"])
    assert "/readyz" in probe
    assert "curl" not in probe, "the slim image has no curl"


@pytest.mark.parametrize("svc", SERVICES)
def test_the_worker_runs_the_service_worker_module(svc, services):
    argv = command(services[f"{svc}-worker"])
    assert argv[0] in ("python", "python3")
    assert worker_module(svc, services) == f"services.{svc}.entrypoints.worker"
    probe = " ".join(services[f"{svc}-worker"]["healthcheck"]["test"])
    assert "9100/readyz" in probe  # running, with its store and broker (shared.worker_probes)


@pytest.mark.parametrize("svc", SERVICES)
def test_the_commands_name_modules_of_this_repository(svc, services):
    app = importlib.util.find_spec(entrypoint_module(api_target(svc, services)))
    assert app is not None and app.origin
    assert "def create_app(" in Path(app.origin).read_text()
    worker = importlib.util.find_spec(worker_module(svc, services))
    assert worker is not None and worker.origin
    assert Path(worker.origin).resolve().is_relative_to(REPO / "services" / svc)


def dockerfile_instructions() -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) pairs, with continuation lines joined and comments dropped."""
    logical, current = [], ""
    for line in (REPO / "Dockerfile").read_text().splitlines():
        stripped = line.strip()
        if not current and (not stripped or stripped.startswith("#")):
            continue
        if stripped.endswith("\\"):
            current += stripped[:-1] + " "
            continue
        logical.append(current + stripped)
        current = ""
    assert not current, "the Dockerfile ends in a continuation line"
    pairs = []
    for instruction in logical:
        keyword, _, arguments = instruction.partition(" ")
        pairs.append((keyword.upper(), arguments.strip()))
    return pairs


def test_the_image_installs_the_locked_requirements_and_runs_unprivileged():
    instructions = dockerfile_instructions()
    keywords = [keyword for keyword, _ in instructions]
    assert re.fullmatch(r"python:3\.11[\w.-]*-slim@sha256:[0-9a-f]{64}", instructions[0][1])
    runs = [arguments for keyword, arguments in instructions if keyword == "RUN"]
    installs = [run for run in runs if "pip install" in run]
    assert installs and all(
        "--require-hashes" in run and re.search(r"-r requirements\.lock\b", run) for run in installs
    ), installs
    assert not any("requirements-dev" in arguments for _, arguments in instructions)
    copied = " ".join(arguments for keyword, arguments in instructions if keyword == "COPY")
    for part in ("requirements.lock", "shared/", "services/", "ops/", "portal/"):
        assert part in copied
    assert "USER" in keywords, "the image must not run as root"
    user = instructions[len(keywords) - 1 - keywords[::-1].index("USER")][1]
    assert user.split(":", 1)[0] not in ("root", "0")
    env = " ".join(arguments for keyword, arguments in instructions if keyword == "ENV")
    assert re.search(r"\bPYTHONPATH=/app\b", env)


def test_the_build_context_leaves_out_local_state():
    ignored = {
        line.strip().rstrip("/")
        for line in (REPO / ".dockerignore").read_text().splitlines()
        if line.strip() and not line.startswith("#")
    }
    assert {".venv", ".run", ".git", "tests", "secrets"} <= ignored


@pytest.mark.timeout(1800)  # the first run builds Compose from the Go module proxy
def test_compose_v2_accepts_the_file():
    result = subprocess.run(
        [str(go_binary(COMPOSE)), "-f", "docker-compose.yml", "config", "-q"],
        cwd=REPO,
        env=os.environ,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
