"""Configuration from environment variables, with defaults that suit the embedded stack.

Secrets (`ELDERCARE_TOKENS`, `ELDERCARE_SECRET_KEY`, `MONGO_URL`, `MONGO_PASSWORD`) may instead
be read from the file `NAME_FILE` names (`shared.secret_files.secret`).
"""

import os
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from shared.secret_files import secret

MIN_SECRET_KEY_BYTES = 32
MIN_FIXED_TOKEN_CHARS = 32
# The roles a fixed token may hold: other systems' and the console's; staff sign in.
MACHINE_ROLES = frozenset({"integration", "operator"})
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


def check_fixed_tokens(spec: str) -> None:
    """Fixed tokens (`token:user:role+role[@community],...`) are for machines only: long enough
    not to be guessed, and holding only MACHINE_ROLES (staff use signed tokens)."""
    for item in filter(None, (part.strip() for part in spec.split(","))):
        token, _, rest = item.partition(":")
        user, _, scoped = rest.partition(":")
        roles = set(scoped.partition("@")[0].split("+"))
        if len(token) < MIN_FIXED_TOKEN_CHARS:
            raise ConfigurationError(
                f"ELDERCARE_TOKENS: the token of {user} is shorter than {MIN_FIXED_TOKEN_CHARS} "
                f"characters; generate one with: {GENERATE_KEY}"
            )
        if not roles <= MACHINE_ROLES:
            staff = ", ".join(sorted(roles - MACHINE_ROLES))
            raise ConfigurationError(
                f"ELDERCARE_TOKENS: the token of {user} holds {staff}; a fixed token may hold "
                "only integration or operator (other systems and the console), staff sign in "
                "with intake (POST /auth/token)"
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
    kafka_security_protocol: str = "PLAINTEXT"  # SASL_SSL where the broker asks who is calling
    kafka_sasl_mechanism: str = "SCRAM-SHA-512"
    kafka_username: str = ""
    kafka_password: str = field(default="", repr=False)
    kafka_ca_file: str = ""  # the CA that signed the broker's certificate (PEM)
    # how topics are made where a service may make them: partitions (the most consumers of a
    # group that share the work) and copies on brokers (3 on a cluster, 1 on one machine)
    kafka_topic_partitions: int = 3
    kafka_replication_factor: int = 1
    mongo_url: str = field(default="mongodb://127.0.0.1:27017/", repr=False)
    mongo_db: str = ""
    mongo_username: str = ""  # the service's own user, allowed its own database only
    mongo_password: str = field(default="", repr=False)
    tokens: str = field(default="", repr=False)
    # signs staff tokens; the same in every service of a district
    secret_key: str = field(default="", repr=False)
    # earlier keys whose tokens are still accepted while the key is replaced
    previous_secret_keys: tuple[str, ...] = field(default=(), repr=False)
    token_ttl_seconds: int = 8 * 3600
    district_file: str = ""  # communities to load into an empty district configuration
    metrics_port: int = 0
    consumer_retries: int = 3
    retry_backoff_seconds: float = 0.2
    # handler failures dead-lettered in a row after which the consumer holds the next failing
    # message instead (shared.consumer, flood limit); 0: no limit
    dead_letter_flood_limit: int = 20
    session_timeout_ms: int = 10_000
    proxy_hops: int = 0  # proxies in front of the API that set X-Forwarded-For
    # printed at the foot of every form (五个一): the service hotline and the service guide
    hotline: str = ""
    service_guide: str = ""
    # how often visits' worker counts the year's scorecards of the whole district again
    scorecard_count_seconds: int = 900
    # which copy of the worker this is, where several run on one host (shared.leases)
    replica: str = "0"

    def __post_init__(self) -> None:
        check_token_settings(self.secret_key, self.previous_secret_keys, self.token_ttl_seconds)
        check_fixed_tokens(self.tokens)
        if self.kafka_topic_partitions < 1 or self.kafka_replication_factor < 1:
            raise ValueError(
                "KAFKA_TOPIC_PARTITIONS and KAFKA_REPLICATION_FACTOR must be 1 or more "
                f"(given {self.kafka_topic_partitions} and {self.kafka_replication_factor})"
            )

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
            kafka_password=secret(env, "KAFKA_SASL_PASSWORD"),
            kafka_ca_file=env.get("KAFKA_SSL_CAFILE", ""),
            kafka_topic_partitions=int(env.get("KAFKA_TOPIC_PARTITIONS", "3")),
            kafka_replication_factor=int(env.get("KAFKA_REPLICATION_FACTOR", "1")),
            mongo_url=secret(env, "MONGO_URL", cls.mongo_url),
            mongo_db=env.get("MONGO_DB", ""),
            mongo_username=env.get("MONGO_USERNAME", ""),
            mongo_password=secret(env, "MONGO_PASSWORD"),
            tokens=secret(env, "ELDERCARE_TOKENS"),
            secret_key=secret(env, "ELDERCARE_SECRET_KEY"),
            previous_secret_keys=tuple(
                key.strip() for key in secret(env, PREVIOUS_KEYS).split(",") if key.strip()
            ),
            token_ttl_seconds=int(env.get("ELDERCARE_TOKEN_TTL_SECONDS", str(8 * 3600))),
            district_file=env.get("ELDERCARE_DISTRICT_FILE", ""),
            metrics_port=int(env.get("METRICS_PORT", "0")),
            consumer_retries=int(env.get("CONSUMER_RETRIES", str(cls.consumer_retries))),
            retry_backoff_seconds=float(
                env.get("CONSUMER_RETRY_BACKOFF_SECONDS", str(cls.retry_backoff_seconds))
            ),
            dead_letter_flood_limit=int(
                env.get("CONSUMER_DEAD_LETTER_FLOOD_LIMIT", str(cls.dead_letter_flood_limit))
            ),
            session_timeout_ms=int(
                env.get("KAFKA_SESSION_TIMEOUT_MS", str(cls.session_timeout_ms))
            ),
            proxy_hops=int(env.get("ELDERCARE_PROXY_HOPS", "0")),
            hotline=env.get("ELDERCARE_HOTLINE", ""),
            service_guide=env.get("ELDERCARE_SERVICE_GUIDE", ""),
            scorecard_count_seconds=int(
                env.get("ELDERCARE_SCORECARD_COUNT_SECONDS", str(cls.scorecard_count_seconds))
            ),
            replica=env.get("ELDERCARE_REPLICA", "0"),
        )
