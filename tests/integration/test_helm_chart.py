"""The city's chart (deploy/helm/eldercare), checked by Helm itself without a cluster: it lints,
and what `helm template` renders, with the chart's defaults and with its example of a city
(examples/city.yaml), runs every process of docker-compose.yml with the same command and
settings; every Deployment has the copies its values give, its probes and a disruption budget;
the ConfigMap names the values' Kafka; and no secret's value is ever rendered: secrets are
Secrets' keys mounted as files (or secretKeyRef), and a value given in their place is refused.

Helm is the version devstack/install-helm builds into devstack's cache (`./dev test` runs it).
Needs no broker or store: it asks for none of tests/conftest.py's fixtures.
"""

import copy
import re
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

from devstack.paths import cache_dir

REPO = Path(__file__).resolve().parents[2]
CHART = REPO / "deploy" / "helm" / "eldercare"
CITY = CHART / "examples" / "city.yaml"
INSTALLER = REPO / "devstack" / "install-helm"
SERVICES = ("intake", "visits", "allowances")
HTTP = (*(f"{s}-api" for s in SERVICES), "portal", "ops")
WORKERS = tuple(f"{s}-worker" for s in SERVICES)
SECRETS_DIR = "/run/secrets/eldercare"
# What a process reads through shared.secret_files.secret: never a plain variable here.
SECRET_VARIABLES = {
    "ELDERCARE_TOKENS",
    "ELDERCARE_SECRET_KEY",
    "ELDERCARE_PREVIOUS_SECRET_KEYS",
    "KAFKA_SASL_PASSWORD",
    "MONGO_URL",
    "MONGO_PASSWORD",
    "PORTAL_SECRET_KEY",
    "REMINDER_WEBHOOK_SECRET",
    "REMINDER_WECOM_URL",
    "REMINDER_SMS_API_KEY",
}
SENTINEL = "sentinel-Pa55word-never-rendered-4f1c"
RELEASE = "central"


def helm_binary() -> Path:
    """Where devstack/install-helm puts Helm: devstack's cache, helm-<version>/helm."""
    version = re.search(r"^HELM_VERSION=(\S+)$", INSTALLER.read_text(), re.MULTILINE)
    assert version, f"{INSTALLER} no longer names HELM_VERSION"
    binary = cache_dir() / f"helm-{version.group(1)}" / "helm"
    if not binary.is_file():
        pytest.fail(
            f"Helm {version.group(1)} is not at {binary}: build it with devstack/install-helm "
            "(./dev test runs it)"
        )
    return binary


def helm(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(helm_binary()), *args], capture_output=True, text=True, timeout=120, check=False
    )


def render(*values: Path) -> list[dict[str, Any]]:
    options = [option for path in values for option in ("-f", str(path))]
    done = helm("template", RELEASE, str(CHART), "--namespace", "eldercare", *options)
    assert done.returncode == 0, done.stderr
    return [doc for doc in yaml.safe_load_all(done.stdout) if doc]


def merged(base: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    """Values as Helm merges a -f file into the chart's defaults (maps merge, the rest replace)."""
    result = copy.deepcopy(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(result.get(key), dict):
            result[key] = merged(result[key], value)
        else:
            result[key] = value
    return result


DEFAULTS = yaml.safe_load((CHART / "values.yaml").read_text())
CASES = {
    "defaults": ((), DEFAULTS),
    "city": ((CITY,), merged(DEFAULTS, yaml.safe_load(CITY.read_text()))),
}


@pytest.fixture(scope="module", params=sorted(CASES))
def case(request: pytest.FixtureRequest) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """(the values, what the chart renders with them)."""
    files, values = CASES[request.param]
    return values, render(*files)


def of_kind(docs: list[dict[str, Any]], kind: str) -> dict[str, dict[str, Any]]:
    """The rendered objects of one kind by component (their name without the release's prefix)."""
    prefix = f"{RELEASE}-eldercare-"
    found = {}
    for doc in docs:
        if doc["kind"] == kind:
            name = doc["metadata"]["name"]
            assert name.startswith(prefix), name
            found[name.removeprefix(prefix)] = doc
    return found


def container(deployment: dict[str, Any]) -> dict[str, Any]:
    containers = deployment["spec"]["template"]["spec"]["containers"]
    assert len(containers) == 1
    return containers[0]


def env_of(deployment: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {item["name"]: item for item in container(deployment).get("env", [])}


def expected_replicas(values: dict[str, Any], component: str) -> int:
    if component in ("portal", "ops"):
        return values[component]["replicas"]
    service, role = component.rsplit("-", 1)
    return values["services"][service][role]["replicas"]


def test_the_chart_lints_with_its_defaults_and_the_city_example():
    for options in ([], ["-f", str(CITY)]):
        done = helm("lint", "--strict", str(CHART), *options)
        assert done.returncode == 0, done.stdout + done.stderr
        assert "1 chart(s) linted, 0 chart(s) failed" in done.stdout


def test_it_runs_every_process_of_the_district_and_nothing_else(case):
    _, docs = case
    assert set(of_kind(docs, "Deployment")) == {*HTTP, *WORKERS}
    assert set(of_kind(docs, "Service")) == {*HTTP, *WORKERS}
    kinds = {doc["kind"] for doc in docs}
    assert kinds == {
        "Deployment",
        "Service",
        "PodDisruptionBudget",
        "ConfigMap",
        "PersistentVolumeClaim",
    }


def test_every_deployment_has_the_replicas_its_values_give(case):
    values, docs = case
    deployments = of_kind(docs, "Deployment")
    for component, deployment in deployments.items():
        assert deployment["spec"]["replicas"] == expected_replicas(values, component), component
    if values is not DEFAULTS:  # the example's copies are not the defaults'
        assert [deployments[w]["spec"]["replicas"] for w in WORKERS] == [3, 6, 3]


def test_the_http_processes_are_ready_on_readyz_and_alive_on_healthz(case):
    _, docs = case
    for component, deployment in of_kind(docs, "Deployment").items():
        c = container(deployment)
        ports = {port["name"]: port["containerPort"] for port in c["ports"]}
        ready, alive = c["readinessProbe"]["httpGet"], c["livenessProbe"]["httpGet"]
        if component in HTTP:
            assert ports == {"http": 8000}, component
            assert ready == {"path": "/readyz", "port": "http"}, component
            assert alive == {"path": "/healthz", "port": "http"}, component
        else:  # a worker: the same probes, beside its metrics (shared.worker_probes)
            assert ports == {"metrics": 9100}, component
            assert env_of(deployment)["METRICS_PORT"]["value"] == "9100"
            assert ready == {"path": "/readyz", "port": "metrics"}, component
            assert alive == {"path": "/healthz", "port": "metrics"}, component
        assert c["startupProbe"]["httpGet"] == alive, component


def test_every_deployment_has_a_disruption_budget_selecting_its_pods(case):
    values, docs = case
    budgets = of_kind(docs, "PodDisruptionBudget")
    for component, deployment in of_kind(docs, "Deployment").items():
        labels = deployment["spec"]["template"]["metadata"]["labels"]
        selecting = [
            name
            for name, budget in budgets.items()
            if budget["spec"]["selector"]["matchLabels"].items() <= labels.items()
        ]
        assert selecting == [component], f"{component}: {selecting}"
        spec = budgets[component]["spec"]
        if expected_replicas(values, component) > 1:
            assert spec.get("minAvailable") == 1 and "maxUnavailable" not in spec, component
        else:
            assert spec.get("maxUnavailable") == 1 and "minAvailable" not in spec, component
        assert deployment["spec"]["selector"]["matchLabels"].items() <= labels.items()


def test_the_config_map_names_the_kafka_of_the_values(case):
    values, docs = case
    (config,) = of_kind(docs, "ConfigMap").values()
    data = config["data"]
    assert data["KAFKA_BOOTSTRAP_SERVERS"] == values["kafka"]["bootstrapServers"]
    assert data["KAFKA_SECURITY_PROTOCOL"] == values["kafka"]["securityProtocol"]
    assert data["KAFKA_SASL_MECHANISM"] == values["kafka"]["saslMechanism"]
    assert data["KAFKA_SSL_CAFILE"] == f"{SECRETS_DIR}/kafka-ca.crt"
    assert data["ELDERCARE_DISTRICT"] == values["district"]["name"]
    for component, deployment in of_kind(docs, "Deployment").items():
        sources = container(deployment)["envFrom"]
        assert sources == [{"configMapRef": {"name": config["metadata"]["name"]}}], component
    if values is not DEFAULTS:
        assert data["KAFKA_BOOTSTRAP_SERVERS"] == "city-kafka-kafka-bootstrap.kafka.svc:9093"


def test_secrets_are_only_referenced_as_secrets_keys_mounted_as_files(case):
    values, docs = case
    assert "Secret" not in {doc["kind"] for doc in docs}
    (config,) = of_kind(docs, "ConfigMap").values()
    assert not SECRET_VARIABLES & set(config["data"])
    for component, deployment in of_kind(docs, "Deployment").items():
        env = env_of(deployment)
        assert not SECRET_VARIABLES & set(env), f"{component} has a secret in its environment"
        for item in env.values():  # anything else from a Secret is a reference to it
            assert set(item) <= {"name", "value", "valueFrom"}, item
            assert set(item.get("valueFrom", {})) <= {"secretKeyRef", "configMapKeyRef"}, item
        volumes = {v["name"]: v for v in deployment["spec"]["template"]["spec"]["volumes"]}
        mounted = {m["mountPath"]: m["name"] for m in container(deployment).get("volumeMounts", [])}
        projected = volumes[mounted[SECRETS_DIR]]["projected"]
        files = {}
        for source in projected["sources"]:
            assert set(source) == {"secret"}, source
            for item in source["secret"]["items"]:
                files[f"{SECRETS_DIR}/{item['path']}"] = (source["secret"]["name"], item["key"])
        named = {
            name.removesuffix("_FILE"): item["value"]
            for name, item in env.items()
            if name.endswith("_FILE")
        }
        assert set(named) <= SECRET_VARIABLES, component
        for variable, path in named.items():
            assert path in files, f"{component}: {variable}_FILE names {path}, not mounted"
        (mount,) = [
            m for m in container(deployment)["volumeMounts"] if m["mountPath"] == SECRETS_DIR
        ]
        assert mount["readOnly"] is True, component
        # what each process must have, from the Secrets the values name
        if component in HTTP[:3] or component in WORKERS:
            service = component.rsplit("-", 1)[0]
            store = values["services"][service]["mongo"]
            assert files[named["MONGO_URL"]] == (
                store["url"]["existingSecret"],
                store["url"]["key"],
            )
            assert files[named["MONGO_PASSWORD"]] == (
                store["password"]["existingSecret"],
                store["password"]["key"],
            )
            kafka = values["services"][service]["kafka"]["password"]
            assert files[named["KAFKA_SASL_PASSWORD"]] == (kafka["existingSecret"], kafka["key"])
        if component != "portal":
            for variable in ("ELDERCARE_TOKENS", "ELDERCARE_SECRET_KEY"):
                assert variable in named, f"{component} lacks {variable}_FILE"
        else:
            assert set(named) == {"PORTAL_SECRET_KEY"}


@pytest.mark.parametrize(
    "path",
    [
        ("secrets", "secretKey", "value"),
        ("services", "visits", "mongo", "password", "password"),
        ("services", "intake", "kafka", "password", "value"),
        ("portal", "secretKey", "value"),
        ("ops", "kafka", "password", "value"),
        ("reminders", "smsApiKey", "value"),
    ],
    ids=".".join,
)
def test_a_secret_value_given_in_the_values_is_refused_and_never_shown(tmp_path, path):
    """A password put where a Secret's name belongs is never rendered, nor echoed in the error."""
    careless: dict[str, Any] = {}
    node = careless
    for key in path[:-1]:
        node = node.setdefault(key, {})
    node[path[-1]] = SENTINEL
    overlay = tmp_path / "careless.yaml"
    overlay.write_text(yaml.safe_dump(careless))
    done = helm("template", RELEASE, str(CHART), "-f", str(CITY), "-f", str(overlay))
    assert done.returncode != 0, "a secret's value in the values was accepted"
    assert SENTINEL not in done.stdout + done.stderr
    assert ".".join(path) in done.stderr
    assert "put the value in a Secret" in done.stderr


def test_nothing_rendered_holds_a_value_of_the_secrets_it_references(tmp_path):
    """The example with an extra variable from a Secret and one (harmless) plain: each is
    rendered as given, the reference as a reference, and the sentinel nowhere."""
    overlay = tmp_path / "extra.yaml"
    overlay.write_text(
        yaml.safe_dump(
            {
                "extraEnv": [
                    {
                        "name": "ELDERCARE_ADMIN_PASSWORD",
                        "valueFrom": {"secretKeyRef": {"name": "admin", "key": "password"}},
                    }
                ],
                "podAnnotations": {"note": "no secret here"},
            }
        )
    )
    done = helm("template", RELEASE, str(CHART), "-f", str(CITY), "-f", str(overlay))
    assert done.returncode == 0, done.stderr
    assert SENTINEL not in done.stdout
    docs = [doc for doc in yaml.safe_load_all(done.stdout) if doc]
    for component, deployment in of_kind(docs, "Deployment").items():
        given = env_of(deployment)["ELDERCARE_ADMIN_PASSWORD"]
        assert given["valueFrom"] == {"secretKeyRef": {"name": "admin", "key": "password"}}
        assert "value" not in given, component


def test_every_pod_runs_as_the_images_user_not_root(case):
    _, docs = case
    for component, deployment in of_kind(docs, "Deployment").items():
        pod = deployment["spec"]["template"]["spec"]
        assert pod["securityContext"]["runAsNonRoot"] is True, component
        assert pod["securityContext"]["runAsUser"] == 10001, component
        assert pod["automountServiceAccountToken"] is False, component
        security = container(deployment)["securityContext"]
        assert security["runAsNonRoot"] is True, component
        assert security["allowPrivilegeEscalation"] is False, component
        assert container(deployment)["resources"]["limits"], component


def test_the_deployments_run_what_docker_compose_runs():
    """The same commands, and every variable the district's services are given (a secret as
    NAME_FILE in both), except those compose leaves empty unless the district sets them."""
    compose = yaml.safe_load((REPO / "docker-compose.yml").read_text())["services"]
    docs = render()
    (config,) = of_kind(docs, "ConfigMap").values()
    optional = re.compile(r"^\$\{\w+:-\}$")
    for component, deployment in of_kind(docs, "Deployment").items():
        service = compose[component]
        assert container(deployment)["command"] == [str(part) for part in service["command"]]
        given = set(env_of(deployment)) | set(config["data"])
        given |= {name.removesuffix("_FILE") for name in given}  # a file for a plain value
        wanted = {
            name for name, value in service["environment"].items() if not optional.match(str(value))
        }
        assert wanted <= given, f"{component} lacks {sorted(wanted - given)}"


def test_the_console_runs_as_one_copy():
    done = helm("template", RELEASE, str(CHART), "--set", "ops.replicas=2")
    assert done.returncode != 0
    assert "one copy" in done.stderr
