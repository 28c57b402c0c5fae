"""The console's configuration: the broker, and where each service answers.

From the environment, falling back to what `./dev up` runs: the ports and the broker's
`operator` sign-in in its `state.json` (under `ELDERCARE_RUN_DIR`, by default `.run/` in the
checkout) when present, else the documented default ports.

- `KAFKA_BOOTSTRAP_SERVERS`, and how the console signs in to the broker: `KAFKA_SECURITY_PROTOCOL`,
  `KAFKA_SASL_USERNAME`, `KAFKA_SASL_PASSWORD`, `KAFKA_SSL_CAFILE` (see shared/config.py)
- `OPS_APIS`: `service=base URL,...`, e.g. `intake=http://127.0.0.1:8001,...`
- `OPS_WORKER_METRICS`: `service=metrics URL,...`, e.g. `intake=http://127.0.0.1:9101/metrics`
- `OPS_CONSUMER_GROUPS`: the groups whose lag is shown (default: each service's group)
- `ELDERCARE_TOKENS`: who may use the web console (the `operator` role, or the administrator);
  or `ELDERCARE_TOKENS_FILE`, a file holding them
- `ELDERCARE_SECRET_KEY`, `ELDERCARE_PREVIOUS_SECRET_KEYS`, `ELDERCARE_TOKEN_TTL_SECONDS`: as
  the services' (shared/config.py), to accept the signed tokens of staff who signed in with
  intake (operators and the district administrator); intake confirms each is not revoked
- `OPS_REFRESH_SECONDS`: how often the web page refreshes itself
- `OPS_ACCESS_LOG`: the file of the console's access log (default `ops-access-log.jsonl` in the
  run directory)
"""

import json
import os
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from shared.config import PREVIOUS_KEYS, Settings, check_fixed_tokens, check_token_settings
from shared.kafka import client_options
from shared.secret_files import secret

SERVICES = ("intake", "visits", "allowances")
DEFAULT_BOOTSTRAP = "127.0.0.1:9092"
DEFAULT_API_PORTS = {"intake": 8001, "visits": 8002, "allowances": 8003}
DEFAULT_METRICS_PORTS = {"intake": 9101, "visits": 9102, "allowances": 9103}
CHECKOUT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class ServiceEndpoints:
    name: str
    api: str  # the API's base URL; its /readyz is probed
    metrics: str  # the worker's metrics URL

    @property
    def consumer_group(self) -> str:
        return f"eldercare-{self.name}"  # as shared.config.Settings names it


@dataclass(frozen=True)
class ConsoleSettings:
    kafka_bootstrap: str = DEFAULT_BOOTSTRAP
    services: tuple[ServiceEndpoints, ...] = ()
    groups: tuple[str, ...] = ()
    tokens: str = field(default="", repr=False)
    secret_key: str = field(default="", repr=False)
    previous_secret_keys: tuple[str, ...] = field(default=(), repr=False)
    token_ttl_seconds: int = 8 * 3600
    refresh_seconds: int = 5
    timeout_seconds: float = 3.0
    access_log: Path = CHECKOUT / ".run" / "ops-access-log.jsonl"
    kafka: Settings = field(default_factory=lambda: Settings(service="ops"))  # who it is to Kafka

    def __post_init__(self) -> None:
        check_token_settings(self.secret_key, self.previous_secret_keys, self.token_ttl_seconds)
        check_fixed_tokens(self.tokens)

    @property
    def intake_api(self) -> str:
        """Where signed staff tokens are confirmed."""
        return next((s.api for s in self.services if s.name == "intake"), "")

    def kafka_options(self) -> dict[str, Any]:
        return client_options(replace(self.kafka, kafka_bootstrap=self.kafka_bootstrap))

    @property
    def service_names(self) -> list[str]:
        return [s.name for s in self.services]

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> "ConsoleSettings":
        env = dict(os.environ if env is None else env)
        state = _devstack_state(env)
        ports = state.get("ports", {})
        api_ports = {**DEFAULT_API_PORTS, **ports.get("apis", {})}
        metrics_ports = {**DEFAULT_METRICS_PORTS, **ports.get("metrics", {})}
        apis = _pairs(env.get("OPS_APIS", "")) or {
            name: f"http://127.0.0.1:{api_ports[name]}" for name in SERVICES
        }
        worker_metrics = _pairs(env.get("OPS_WORKER_METRICS", "")) or {
            name: f"http://127.0.0.1:{metrics_ports[name]}/metrics" for name in SERVICES
        }
        names = [*apis, *(name for name in worker_metrics if name not in apis)]
        services = tuple(
            ServiceEndpoints(name, apis.get(name, ""), worker_metrics.get(name, ""))
            for name in names
        )
        groups = _names(env.get("OPS_CONSUMER_GROUPS", "")) or tuple(
            s.consumer_group for s in services
        )
        return cls(
            kafka_bootstrap=env.get("KAFKA_BOOTSTRAP_SERVERS")
            or state.get("bootstrap")
            or DEFAULT_BOOTSTRAP,
            services=services,
            groups=groups,
            tokens=secret(env, "ELDERCARE_TOKENS"),
            secret_key=secret(env, "ELDERCARE_SECRET_KEY"),
            previous_secret_keys=tuple(
                key.strip() for key in secret(env, PREVIOUS_KEYS).split(",") if key.strip()
            ),
            token_ttl_seconds=int(env.get("ELDERCARE_TOKEN_TTL_SECONDS", str(8 * 3600))),
            refresh_seconds=int(env.get("OPS_REFRESH_SECONDS", "5")),
            timeout_seconds=float(env.get("OPS_TIMEOUT_SECONDS", "3")),
            access_log=Path(env.get("OPS_ACCESS_LOG") or _run_dir(env) / "ops-access-log.jsonl"),
            kafka=Settings.from_env("ops", {**state.get("kafka_env", {}), **env}),
        )


def _run_dir(env: Mapping[str, str]) -> Path:
    return Path(env.get("ELDERCARE_RUN_DIR") or CHECKOUT / ".run")


def _devstack_state(env: Mapping[str, str]) -> dict[str, Any]:
    path = _run_dir(env) / "state.json"
    try:
        state = json.loads(path.read_text())
    except (OSError, ValueError):
        return {}
    return state if isinstance(state, dict) else {}


def _pairs(spec: str) -> dict[str, str]:
    """`a=x,b=y` as {"a": "x", "b": "y"}, in order."""
    pairs = {}
    for item in _names(spec):
        name, sep, value = item.partition("=")
        if not sep or not name.strip() or not value.strip():
            raise ValueError(f"expected service=URL, got {item!r}")
        pairs[name.strip()] = value.strip()
    return pairs


def _names(spec: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in spec.split(",") if part.strip())
