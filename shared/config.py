"""Configuration from environment variables, with defaults that suit the embedded stack."""

import os
from dataclasses import dataclass
from zoneinfo import ZoneInfo

MIN_SECRET_KEY_BYTES = 32
MAX_TOKEN_TTL_SECONDS = 12 * 3600
PREVIOUS_KEYS = "ELDERCARE_PREVIOUS_SECRET_KEYS"
GENERATE_KEY = 'python -c "import secrets; print(secrets.token_urlsafe(32))"'


class ConfigurationError(ValueError):
    """A setting the process must not start with; the message names the variable."""


def check_secret_key(key: str, variable: str) -> None:
    """A key that signs tokens must be long enough not to be guessed (HMAC-SHA-256)."""
    if len(key.encode()) < MIN_SECRET_KEY_BYTES:
        raise ConfigurationError(
            f"{variable} is shorter than {MIN_SECRET_KEY_BYTES} bytes; "
            f"generate one with: {GENERATE_KEY}"
        )


def check_token_settings(secret_key: str, previous: tuple[str, ...], ttl_seconds: int) -> None:
    """Refuse weak signing keys and staff tokens that live longer than a working day."""
    if secret_key:
        check_secret_key(secret_key, "ELDERCARE_SECRET_KEY")
    elif previous:
        raise ConfigurationError(f"{PREVIOUS_KEYS} needs ELDERCARE_SECRET_KEY, the current key")
    for key in previous:
        check_secret_key(key, f"each key of {PREVIOUS_KEYS}")
    if not 0 < ttl_seconds <= MAX_TOKEN_TTL_SECONDS:
        raise ConfigurationError(
            f"ELDERCARE_TOKEN_TTL_SECONDS must be between 1 and {MAX_TOKEN_TTL_SECONDS} "
            "(12 hours); staff sign in again after it"
        )


@dataclass(frozen=True)
class Settings:
    service: str
    district: str = "demo-district"
    timezone: str = "Asia/Shanghai"
    kafka_bootstrap: str = "127.0.0.1:9092"
    mongo_url: str = "mongodb://127.0.0.1:27017/"
    mongo_db: str = ""
    tokens: str = ""
    secret_key: str = ""  # signs staff tokens; the same in every service of a district
    previous_secret_keys: tuple[str, ...] = ()  # still verify tokens they signed (rotation)
    token_ttl_seconds: int = 8 * 3600
    district_file: str = ""  # communities to load into an empty district configuration
    metrics_port: int = 0
    consumer_retries: int = 3
    retry_backoff_seconds: float = 0.2
    session_timeout_ms: int = 10_000

    def __post_init__(self) -> None:
        check_token_settings(self.secret_key, self.previous_secret_keys, self.token_ttl_seconds)

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def database(self) -> str:
        return self.mongo_db or f"eldercare_{self.service}"

    @property
    def event_source(self) -> str:
        """The CloudEvents `source` of everything this service publishes."""
        return f"urn:eldercare:{self.district}:{self.service}"

    @property
    def consumer_group(self) -> str:
        return f"eldercare-{self.service}"

    @classmethod
    def from_env(cls, service: str, env: dict[str, str] | None = None) -> "Settings":
        env = dict(os.environ if env is None else env)
        return cls(
            service=service,
            district=env.get("ELDERCARE_DISTRICT", cls.district),
            timezone=env.get("ELDERCARE_TIMEZONE", cls.timezone),
            kafka_bootstrap=env.get("KAFKA_BOOTSTRAP_SERVERS", cls.kafka_bootstrap),
            mongo_url=env.get("MONGO_URL", cls.mongo_url),
            mongo_db=env.get("MONGO_DB", ""),
            tokens=env.get("ELDERCARE_TOKENS", ""),
            secret_key=env.get("ELDERCARE_SECRET_KEY", ""),
            previous_secret_keys=tuple(
                key.strip() for key in env.get(PREVIOUS_KEYS, "").split(",") if key.strip()
            ),
            token_ttl_seconds=int(env.get("ELDERCARE_TOKEN_TTL_SECONDS", str(8 * 3600))),
            district_file=env.get("ELDERCARE_DISTRICT_FILE", ""),
            metrics_port=int(env.get("METRICS_PORT", "0")),
            consumer_retries=int(env.get("CONSUMER_RETRIES", str(cls.consumer_retries))),
            retry_backoff_seconds=float(
                env.get("CONSUMER_RETRY_BACKOFF_SECONDS", str(cls.retry_backoff_seconds))
            ),
            session_timeout_ms=int(
                env.get("KAFKA_SESSION_TIMEOUT_MS", str(cls.session_timeout_ms))
            ),
        )
