"""Who may talk to the local Kafka broker, and what each may do there.

The broker's client listener is SASL_SSL: TLS with a certificate of a CA made here, and each
client signs in with SCRAM-SHA-512. One principal per service, `operator` for the console,
`outside` for other systems publishing inbound events, and `admin`, the super user devstack
works as. The StandardAuthorizer refuses whatever no ACL allows.
"""

import json
import os
import secrets
import subprocess
import time
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path

from kafka import KafkaAdminClient
from kafka.admin import (
    ACL,
    ACLFilter,
    ACLOperation,
    ACLPermissionType,
    ACLResourcePatternType,
    NewTopic,
    ResourcePattern,
    ResourcePatternFilter,
    ResourceType,
)
from kafka.errors import TopicAlreadyExistsError

from ops.adapters.kafka import RESOLUTIONS_TOPIC
from shared.events import Topics
from shared.kafka import PARTITIONS

SUPER_USER = "admin"
SERVICES = ("intake", "visits", "allowances")
PRINCIPALS = (SUPER_USER, *SERVICES, "operator", "outside")
MECHANISM = "SCRAM-SHA-512"
CREDENTIALS_FILE = "kafka-credentials.json"
# The certificate's subject: the broker's own principal on the controller listener (mutual TLS).
BROKER_SUBJECT = "CN=localhost"

# What each service writes (its own topics and dead letters) and reads (what it consumes).
WRITES = {
    # and inbound: what other systems send to its API (POST /inbound) it puts on that topic
    "intake": [
        Topics.ELDERS,
        Topics.CONTACTS,
        Topics.VOLUNTEERS,
        Topics.HOUSEHOLDS,
        Topics.INCIDENTS,
        Topics.STAFF,
        Topics.INBOUND,
    ],
    "visits": [Topics.VISITS],
    "allowances": [Topics.ALLOWANCES],
}
READS = {
    # visits: what a door-to-door check found, which intake puts right on the record
    "intake": [Topics.INBOUND, Topics.ELDERS, Topics.VISITS],
    # households: the buildings and groups of the grid that worklists and caseloads follow;
    # volunteers: members of teams, and those whose volunteer service is counted;
    # allowances: the monthly cycles approved, whose reports the yearly evaluation counts
    "visits": [
        Topics.ALLOWANCES,
        Topics.ELDERS,
        Topics.CONTACTS,
        Topics.INCIDENTS,
        Topics.STAFF,
        Topics.HOUSEHOLDS,
        Topics.VOLUNTEERS,
    ],
    "allowances": [Topics.ELDERS, Topics.STAFF, Topics.HOUSEHOLDS],  # home-care households
}
# The console replays a dead letter into the topic it came from: one some service consumes.
REPLAYED = sorted({topic for topics in READS.values() for topic in topics})
PRODUCT_TOPICS = sorted(
    {
        Topics.INBOUND,
        *(topic for service in SERVICES for topic in WRITES[service]),
        *(Topics.dead_letter(service) for service in SERVICES),
    }
)


@dataclass(frozen=True)
class BrokerKeys:
    """The CA (PEM, for clients) and the broker's keystore and truststore (PKCS12)."""

    ca_file: Path
    keystore: Path
    truststore: Path
    password: str


def passwords(run_dir: Path) -> dict[str, str]:
    """Each principal's password: made on first start, kept readable by this user alone."""
    kept = run_dir / CREDENTIALS_FILE
    known: dict[str, str] = json.loads(kept.read_text()) if kept.exists() else {}
    missing = [name for name in PRINCIPALS if name not in known]
    if missing:
        known |= {name: secrets.token_hex(16) for name in missing}
        kept.write_text(json.dumps(known, indent=2))
    os.chmod(kept, 0o600)
    return known


def broker_keys(data_dir: Path) -> BrokerKeys:
    """A CA and a certificate for 127.0.0.1 signed by it, made once with keytool and kept."""
    tls = data_dir / "tls"
    keys = BrokerKeys(tls / "ca.pem", tls / "broker.p12", tls / "truststore.p12", "")
    password_file = tls / "store-password"
    if password_file.exists() and keys.keystore.exists():
        return BrokerKeys(keys.ca_file, keys.keystore, keys.truststore, password_file.read_text())
    tls.mkdir(parents=True, exist_ok=True)
    os.chmod(tls, 0o700)
    for old in tls.iterdir():
        old.unlink()
    password = secrets.token_hex(16)
    _make_keys(tls, password)
    password_file.write_text(password)
    os.chmod(password_file, 0o600)
    return BrokerKeys(keys.ca_file, keys.keystore, keys.truststore, password)


def _make_keys(tls: Path, password: str) -> None:
    ca, csr, signed = tls / "ca.p12", tls / "broker.csr", tls / "broker.pem"
    store = ["-storetype", "PKCS12", "-storepass", password]
    new_key = ["-genkeypair", "-keyalg", "RSA", "-keysize", "2048", "-validity", "3650"]
    _keytool(*new_key, "-alias", "ca", "-dname", "CN=eldercare devstack CA", "-ext", "bc:c",
             "-keystore", ca, *store)  # fmt: skip
    _keytool(
        "-exportcert", "-rfc", "-alias", "ca", "-keystore", ca, *store, "-file", tls / "ca.pem"
    )
    broker = ["-keystore", tls / "broker.p12", *store]
    _keytool(*new_key, "-alias", "broker", "-dname", BROKER_SUBJECT, *broker)
    _keytool("-certreq", "-alias", "broker", *broker, "-file", csr)
    _keytool("-gencert", "-rfc", "-alias", "ca", "-keystore", ca, *store, "-infile", csr,
             "-outfile", signed, "-validity", "3650", "-ext", "SAN=ip:127.0.0.1,dns:localhost",
             "-ext", "eku=serverAuth,clientAuth")  # fmt: skip
    _keytool("-importcert", "-noprompt", "-alias", "ca", "-file", tls / "ca.pem", *broker)
    _keytool("-importcert", "-alias", "broker", "-file", signed, *broker)
    trust = ["-keystore", tls / "truststore.p12", *store]
    _keytool("-importcert", "-noprompt", "-alias", "ca", "-file", tls / "ca.pem", *trust)
    for made in (ca, csr, signed):
        made.unlink()


def _keytool(*arguments: object) -> None:
    subprocess.run(["keytool", *map(str, arguments)], check=True, capture_output=True)


def server_properties(keys: BrokerKeys, admin_password: str) -> list[str]:
    """The listener settings: SASL_SSL for clients, mutual TLS between broker and controller."""
    scram_login = "org.apache.kafka.common.security.scram.ScramLoginModule required"
    return [
        "listener.security.protocol.map=BROKER:SASL_SSL,CONTROLLER:SSL",
        "inter.broker.listener.name=BROKER",
        f"sasl.enabled.mechanisms={MECHANISM}",
        f"sasl.mechanism.inter.broker.protocol={MECHANISM}",
        f"listener.name.broker.{MECHANISM.lower()}.sasl.jaas.config={scram_login} "
        f'username="{SUPER_USER}" password="{admin_password}";',
        "listener.name.controller.ssl.client.auth=required",
        "ssl.keystore.type=PKCS12",
        f"ssl.keystore.location={keys.keystore}",
        f"ssl.keystore.password={keys.password}",
        f"ssl.key.password={keys.password}",
        "ssl.truststore.type=PKCS12",
        f"ssl.truststore.location={keys.truststore}",
        f"ssl.truststore.password={keys.password}",
        "authorizer.class.name=org.apache.kafka.metadata.authorizer.StandardAuthorizer",
        "allow.everyone.if.no.acl.found=false",
        f"super.users=User:{SUPER_USER};User:{BROKER_SUBJECT}",
    ]


def scram_users(known: dict[str, str]) -> list[str]:
    """StorageTool's arguments that give every principal its SCRAM credential at format time."""
    return [
        argument
        for name in PRINCIPALS
        for argument in ("--add-scram", f"{MECHANISM}=[name={name},password={known[name]}]")
    ]


def grant(admin: KafkaAdminClient, partitions: int = PARTITIONS, replication: int = 1) -> None:
    """Create the product's topics, then allow each principal what it needs and no more."""
    topics = [NewTopic(t, partitions, replication) for t in PRODUCT_TOPICS]
    compacted = {"cleanup.policy": "compact"}
    resolutions = NewTopic(RESOLUTIONS_TOPIC, 1, replication, topic_configs=compacted)
    existing = set(admin.list_topics())
    missing = [topic for topic in [*topics, resolutions] if topic.name not in existing]
    if missing:
        with suppress(TopicAlreadyExistsError):
            admin.create_topics(missing, wait_for_metadata=True)
    wanted = acls()
    outcome = admin.create_acls(wanted)
    if outcome["failed"]:
        raise RuntimeError(f"Kafka ACLs not created: {outcome['failed']}")
    _wait_for_acls(admin, set(wanted))


def _wait_for_acls(admin: KafkaAdminClient, wanted: set[ACL], timeout: float = 30.0) -> None:
    """The broker authorises by its own copy of the ACLs, which follows the controller's."""
    every = ACLFilter(
        None,
        None,
        ACLOperation.ANY,
        ACLPermissionType.ANY,
        ResourcePatternFilter(ResourceType.ANY, None, ACLResourcePatternType.ANY),
    )
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        present, _ = admin.describe_acls(every)
        if wanted <= set(present):
            return
        time.sleep(0.2)
    raise RuntimeError("the broker did not apply its ACLs in time")


def acls() -> list[ACL]:
    literal, prefixed = ACLResourcePatternType.LITERAL, ACLResourcePatternType.PREFIXED
    topic, group = ResourceType.TOPIC, ResourceType.GROUP
    granted = [
        (service, operation, kind, name, literal)
        for service in SERVICES
        for operation, kind, name in [
            *((ACLOperation.WRITE, topic, written) for written in WRITES[service]),
            (ACLOperation.WRITE, topic, Topics.dead_letter(service)),
            *((ACLOperation.READ, topic, read) for read in READS[service]),
            (ACLOperation.READ, group, f"eldercare-{service}"),
        ]
    ]
    granted.append(("outside", ACLOperation.WRITE, topic, Topics.INBOUND, literal))
    # The console reads every topic and inspects every group of the product, and writes only
    # its resolutions and the replays of dead letters.
    granted += [
        ("operator", ACLOperation.READ, topic, "eldercare.", prefixed),
        ("operator", ACLOperation.DESCRIBE, group, "eldercare-", prefixed),
        ("operator", ACLOperation.WRITE, topic, RESOLUTIONS_TOPIC, literal),
        *(("operator", ACLOperation.WRITE, topic, replayed, literal) for replayed in REPLAYED),
    ]
    # A producer without IDEMPOTENT_WRITE cannot begin (InitProducerId), whatever it may write.
    granted += [
        (who, ACLOperation.IDEMPOTENT_WRITE, ResourceType.CLUSTER, "kafka-cluster", literal)
        for who in (*SERVICES, "outside", "operator")
    ]
    return [
        ACL(
            f"User:{who}",
            "*",
            operation,
            ACLPermissionType.ALLOW,
            ResourcePattern(kind, name, pattern),
        )
        for who, operation, kind, name, pattern in granted
    ]
