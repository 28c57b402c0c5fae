"""The workbench's configuration, from the environment, falling back to what `./dev up` runs.

- `PORTAL_APIS`: `service=base URL,...` (default: the ports of `./dev up`'s `state.json`, else
  the documented ones)
- `PORTAL_SECRET_KEY`: signs the session cookie (required); or `PORTAL_SECRET_KEY_FILE`, a
  file holding it
- `PORTAL_SECURE_COOKIES`: `true` behind HTTPS, so that the cookie is never sent in clear
- `ELDERCARE_TIMEZONE`: days and weeks of the worklist are counted in it
"""

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from ops.config import DEFAULT_API_PORTS, SERVICES, _devstack_state, _pairs
from shared.secret_files import secret


@dataclass(frozen=True)
class PortalSettings:
    secret_key: str = field(repr=False)
    apis: dict[str, str] = field(default_factory=dict)
    zone: ZoneInfo = field(default_factory=lambda: ZoneInfo("Asia/Shanghai"))
    secure_cookies: bool = False
    timeout_seconds: float = 10.0

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> "PortalSettings":
        env = dict(os.environ if env is None else env)
        key = secret(env, "PORTAL_SECRET_KEY")
        if len(key) < 16:
            raise RuntimeError("Set PORTAL_SECRET_KEY (16 characters or more) to sign sessions.")
        ports = {**DEFAULT_API_PORTS, **_devstack_state(env).get("ports", {}).get("apis", {})}
        apis = _pairs(env.get("PORTAL_APIS", "")) or {
            name: f"http://127.0.0.1:{ports[name]}" for name in SERVICES
        }
        return cls(
            secret_key=key,
            apis=apis,
            zone=ZoneInfo(env.get("ELDERCARE_TIMEZONE", "Asia/Shanghai")),
            secure_cookies=env.get("PORTAL_SECURE_COOKIES", "").lower() in ("1", "true", "yes"),
            timeout_seconds=float(env.get("PORTAL_TIMEOUT_SECONDS", "10")),
        )
