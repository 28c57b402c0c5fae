"""Configuration from environment variables, with defaults that suit the embedded stack."""

import os
from dataclasses import dataclass
from zoneinfo import ZoneInfo


@dataclass(frozen=True)
class Settings:
    service: str
    district: str = "demo-district"
    timezone: str = "Asia/Shanghai"
    kafka_bootstrap: str = "127.0.0.1:9092"
    kafka_security_protocol: str = "PLAINTEXT"  # SASL_SSL where the broker asks who is calling
    kafka_sasl_mechanism: str = "SCRAM-SHA-512"
    kafka_username: str = ""
    kafka_password: str = ""
    kafka_ca_file: str = ""  # the CA that signed the broker's certificate (PEM)
    mongo_url: str = "mongodb://127.0.0.1:27017/"
    mongo_db: str = ""
    tokens: str = ""
    secret_key: str = ""  # signs staff tokens; the same in every service of a district
    token_ttl_seconds: int = 8 * 3600
    district_file: str = ""  # communities to load into an empty district configuration
    metrics_port: int = 0
    consumer_retries: int = 3
    retry_backoff_seconds: float = 0.2
    session_timeout_ms: int = 10_000

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
            kafka_security_protocol=env.get("KAFKA_SECURITY_PROTOCOL", cls.kafka_security_protocol),
            kafka_sasl_mechanism=env.get("KAFKA_SASL_MECHANISM", cls.kafka_sasl_mechanism),
            kafka_username=env.get("KAFKA_SASL_USERNAME", ""),
            kafka_password=env.get("KAFKA_SASL_PASSWORD", ""),
            kafka_ca_file=env.get("KAFKA_SSL_CAFILE", ""),
            mongo_url=env.get("MONGO_URL", cls.mongo_url),
            mongo_db=env.get("MONGO_DB", ""),
            tokens=env.get("ELDERCARE_TOKENS", ""),
            secret_key=env.get("ELDERCARE_SECRET_KEY", ""),
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
