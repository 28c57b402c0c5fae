"""The proxy's configuration (deploy/Caddyfile), checked by Caddy itself: the version of the
proxy's image, built from the Go module proxy, validates it with the certificates
deploy/make-secrets writes, and adapts it to the JSON whose routes are checked here: HTTPS only
(HTTP answers a redirect and nothing else), HSTS on every answer, metrics, readiness and API
descriptions never routed, and every site sent to a service of the internal network. Then it
runs, on free ports, and curl asks it what a browser would.
"""

import json
import os
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml
from test_compose import REPO, mounted_secrets

from devstack.gobuild import CADDY, go_binary
from devstack.processes import free_port, port_is_open, spawn, stop, wait_until

CADDYFILE = REPO / "deploy" / "Caddyfile"
DOMAIN = "eldercare.district.example"
SITES = {
    DOMAIN: "portal:8000",
    f"ops.{DOMAIN}": "ops:8000",
    f"intake.{DOMAIN}": "intake-api:8000",
    f"visits.{DOMAIN}": "visits-api:8000",
    f"allowances.{DOMAIN}": "allowances-api:8000",
}
HSTS = "max-age=31536000; includeSubDomains"
INTERNAL_PATHS = ("/metrics", "/readyz", "/openapi.json")


@pytest.fixture(scope="module")
def caddy() -> Path:
    return go_binary(CADDY)


def run_caddy(caddy: Path, *args: str, certificates: str = "") -> subprocess.CompletedProcess:
    env = {**os.environ, "ELDERCARE_DOMAIN": DOMAIN}
    if certificates:
        env["ELDERCARE_CERTIFICATES"] = certificates
    return subprocess.run(
        [str(caddy), *args], env=env, capture_output=True, text=True, timeout=120, check=False
    )


@pytest.fixture(scope="module")
def servers(caddy) -> dict[str, dict[str, Any]]:
    adapted = run_caddy(caddy, "adapt", "--config", str(CADDYFILE), "--adapter", "caddyfile")
    assert adapted.returncode == 0, adapted.stderr
    config = json.loads(adapted.stdout)
    assert config["admin"]["disabled"] is True, "no admin API in the proxy"
    return {
        ",".join(server["listen"]): server for server in config["apps"]["http"]["servers"].values()
    }


def handlers(route: dict[str, Any]) -> list[dict[str, Any]]:
    """A site's handlers in order, its subroutes flattened, each with its route's matchers."""
    found = []
    for handler in route.get("handle", []):
        if handler["handler"] == "subroute":
            for inner in handler["routes"]:
                found.extend({**h, "_match": inner.get("match", [])} for h in handlers(inner))
        else:
            found.append({**handler, "_match": route.get("match", [])})
    return found


def sites(servers: dict[str, dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    routes = servers[":443"]["routes"]
    return {route["match"][0]["host"][0]: handlers(route) for route in routes}


def make_secrets(directory: Path) -> None:
    subprocess.run(
        [str(REPO / "deploy" / "make-secrets"), str(directory)],
        env={**os.environ, "ELDERCARE_DOMAIN": DOMAIN},
        capture_output=True,
        check=True,
        timeout=120,
    )


@pytest.mark.timeout(1800)  # the first run builds Caddy from the Go module proxy
def test_caddy_validates_the_file_with_the_district_certificates(caddy, tmp_path):
    make_secrets(tmp_path)
    args = ("validate", "--config", str(CADDYFILE), "--adapter", "caddyfile")
    valid = run_caddy(caddy, *args, certificates=str(tmp_path))
    assert valid.returncode == 0, valid.stderr[-2000:]
    missing = run_caddy(caddy, *args, certificates=str(tmp_path / "absent"))
    assert missing.returncode != 0 and "proxy.crt" in missing.stderr
    formatted = run_caddy(caddy, "fmt", str(CADDYFILE))
    assert formatted.stdout == CADDYFILE.read_text(), "run caddy fmt --overwrite"


def test_the_proxy_listens_on_https_and_plain_http_only(servers):
    assert set(servers) == {":443", ":80", "127.0.0.1:2020"}


def test_plain_http_is_only_redirected_to_https(servers):
    (route,) = servers[":80"]["routes"]
    (redirect,) = handlers(route)
    assert redirect["handler"] == "static_response" and redirect["status_code"] == 308
    assert redirect["headers"]["Location"] == ["https://{http.request.host}{http.request.uri}"]


def test_every_site_goes_to_its_internal_service_with_hsts_first(servers):
    found = sites(servers)
    assert set(found) == set(SITES)
    for host, upstream in SITES.items():
        chain = found[host]
        assert chain[0]["handler"] == "headers", f"{host}: HSTS is set before anything answers"
        assert chain[0]["response"]["set"]["Strict-Transport-Security"] == [HSTS]
        proxies = [h for h in chain if h["handler"] == "reverse_proxy"]
        assert [u["dial"] for p in proxies for u in p["upstreams"]] == [upstream], host


def test_metrics_readiness_and_api_descriptions_are_not_routed(servers):
    for host, chain in sites(servers).items():
        kinds = [h["handler"] for h in chain]
        first_proxy = kinds.index("reverse_proxy")
        refusals = [
            h
            for h in chain[:first_proxy]
            if h["handler"] == "static_response" and h.get("status_code") == 404
        ]
        assert len(refusals) == 1, host
        paths = {path for matcher in refusals[0]["_match"] for path in matcher["path"]}
        for path in INTERNAL_PATHS:
            assert path in paths and f"{path}/*" in paths, f"{host}: {path} reaches the service"
        assert not refusals[0]["_match"][0].keys() - {"path"}, "refused whatever the method"


def test_every_upstream_is_an_unpublished_service_of_the_internal_network():
    compose = yaml.safe_load((REPO / "docker-compose.yml").read_text())
    services = compose["services"]
    for upstream in SITES.values():
        name = upstream.split(":", 1)[0]
        assert not services[name].get("ports"), name
        assert "district" in services[name]["networks"], name
    assert compose["networks"]["district"]["internal"] is True
    proxy = services["proxy"]
    assert "./deploy/Caddyfile:/etc/caddy/Caddyfile:ro" in proxy["volumes"]
    secrets = mounted_secrets(proxy)
    assert secrets["/run/secrets/proxy.crt"] == "proxy_certificate"
    assert secrets["/run/secrets/proxy.key"] == "proxy_key"
    assert "{$ELDERCARE_CERTIFICATES:/run/secrets}/proxy.crt" in CADDYFILE.read_text()
    assert proxy["image"].startswith("caddy:" + CADDY.version.removeprefix("v") + "-")


@dataclass(frozen=True)
class RunningProxy:
    https: int
    http: int
    certificates: Path


@dataclass(frozen=True)
class Answer:
    status: int
    headers: dict[str, str]


@pytest.fixture(scope="module")
def running_proxy(caddy, tmp_path_factory) -> Iterator[RunningProxy]:
    run_dir = tmp_path_factory.mktemp("proxy")
    certificates = run_dir / "secrets"
    make_secrets(certificates)
    proxy = RunningProxy(free_port(), free_port(), certificates)
    health = free_port()
    spawned = spawn(
        "caddy",
        [str(caddy), "run", "--config", str(CADDYFILE), "--adapter", "caddyfile"],
        run_dir,
        env={
            "ELDERCARE_DOMAIN": DOMAIN,
            "ELDERCARE_CERTIFICATES": str(certificates),
            "ELDERCARE_HTTPS_PORT": str(proxy.https),
            "ELDERCARE_HTTP_PORT": str(proxy.http),
            "ELDERCARE_HEALTH_PORT": str(health),
            "XDG_DATA_HOME": str(run_dir / "data"),
            "XDG_CONFIG_HOME": str(run_dir / "config"),
        },
    )
    try:
        ports = (proxy.https, proxy.http, health)
        wait_until(spawned, lambda: all(port_is_open("127.0.0.1", p) for p in ports), 30, "up")
        yield proxy
    finally:
        stop("caddy", run_dir, grace_seconds=5)


def ask(proxy: RunningProxy, url: str) -> Answer:
    """What curl gets for `url`, the district's names resolving to the running proxy."""
    command = ["curl", "-sS", "-o", "/dev/null", "-D", "-", "--max-time", "10"]
    for host in SITES:
        for port in (proxy.https, proxy.http):
            command += ["--resolve", f"{host}:{port}:127.0.0.1"]
    command += ["--cacert", str(proxy.certificates / "district-ca.crt"), url]
    result = subprocess.run(
        command,
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    status_line, *lines = result.stdout.strip().splitlines()
    headers = {}
    for line in lines:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    return Answer(int(status_line.split()[1]), headers)


def test_a_browser_is_sent_from_http_to_https(running_proxy):
    answer = ask(running_proxy, f"http://ops.{DOMAIN}:{running_proxy.http}/api/lag?x=1")
    assert answer.status == 308
    assert answer.headers["location"] == f"https://ops.{DOMAIN}/api/lag?x=1"


@pytest.mark.parametrize("host", sorted(SITES))
def test_each_site_is_served_with_the_district_certificate_and_hsts(running_proxy, host):
    # The services are not running here: a routed request gets 502 from the proxy itself.
    answer = ask(running_proxy, f"https://{host}:{running_proxy.https}/healthz")
    assert answer.status == 502
    assert answer.headers["strict-transport-security"] == HSTS
    for path in ("/metrics", "/readyz", "/openapi.json", "/METRICS", "/metrics/", "/%6detrics"):
        refused = ask(running_proxy, f"https://{host}:{running_proxy.https}{path}")
        assert refused.status == 404, f"{host}{path}"
        assert refused.headers["strict-transport-security"] == HSTS
