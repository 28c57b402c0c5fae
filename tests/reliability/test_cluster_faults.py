"""The whole system on a cluster of three Kafka brokers, under a steady stream of requests and
inbound events, keeps its promises while brokers and worker copies fail.

A stack of its own: three brokers (KRaft quorum, every topic copied to three, a write
acknowledged once two copies hold it, 12 partitions to a topic), a store per service, each
service's API and worker. While the clients' stream runs:

- the broker leading a partition of the elder topic is killed with -9, then started again;
- another broker is stopped for 30 s, then started again;
- a second copy of each service's worker joins while the stream runs, and the copies split
  the 12 partitions of what it consumes (other systems' events for intake, the elders' events
  for visits and allowances);
- that copy is killed with -9, and the first takes its partitions back.

For a broker, two times are measured: until every effect of what was accepted before the fault
is visible downstream, while the other two carry on; and, once it is started again and holds
its copies again, until the same holds for what was accepted meanwhile.

Each broker fault starts only once every copy of every partition is in sync again, as an
operator would wait. At the end every service is read back against the ledger of accepted
requests: nothing lost, nothing applied twice, each elder's events in order on the topic.
"""

import time
from collections.abc import Iterator

import pytest
from figures import report
from ledger_audit import audit
from stack_control import Stack
from staff import E2E_STAFF, add_staff
from test_faults import Run
from test_replicas import duties_held, holds_all, partitions_held, split, wait_for
from traffic import Driver

from devstack.kafka import java_available
from devstack.kafka_cluster import KafkaCluster, start_kafka_cluster
from devstack.stack import SERVICES, Infrastructure, Ports, intake_store, start_store, stop_all
from shared.events import Topics

PREFIX = "320587"  # address code of this suite's ID numbers (each suite has its own)
BROKER_AWAY = 30.0
# what each service's worker consumes from the others: other systems' events, the elders' events
CONSUMED = {"intake": Topics.INBOUND, "visits": Topics.ELDERS, "allowances": Topics.ELDERS}
EVENT_TOPICS = [Topics.ELDERS, Topics.INCIDENTS, Topics.INBOUND, Topics.VISITS, Topics.ALLOWANCES]


@pytest.fixture(scope="module")
def on_a_cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Stack, KafkaCluster]]:
    if not java_available():
        pytest.fail("Java and Maven are needed for the Kafka cluster: ./dev test installs them")
    run_dir = tmp_path_factory.mktemp("cluster-stack")
    ports = Ports.free(brokers=3)
    stack = None
    try:
        cluster = start_kafka_cluster(run_dir, ports.kafka_nodes())
        stores = {name: start_store(run_dir, name, port) for name, port in ports.stores.items()}
        infra = Infrastructure(cluster.broker, stores)
        stack = Stack(run_dir, ports, infra)
        stack.start_all()
        add_staff(intake_store(infra, ports), E2E_STAFF)
        yield stack, cluster
    finally:
        if stack is not None:
            stack.stop_all()  # the copies of workers too
        stop_all(run_dir)


@pytest.mark.timeout(900)
def test_on_a_cluster_broker_and_worker_faults_lose_double_and_reorder_nothing(on_a_cluster):
    stack, cluster = on_a_cluster
    driver = Driver({s: stack.api(s) for s in SERVICES}, stack.kafka("outside"), PREFIX)
    run = Run(stack, driver)
    began = time.monotonic()
    driver.start()
    try:
        time.sleep(8)
        leader_killed(run, cluster)
        broker_away(run, cluster)
        copies_added_then_killed(run)
    finally:
        driver.stop()
    streamed = time.monotonic() - began

    settled = time.monotonic()
    run.progress.wait(driver.ledger.expectation(), settled, timeout=150)
    run.progress.outboxes_empty()
    found = audit(stack, driver.ledger)
    ledger, attempts = driver.ledger, driver.attempts
    report(
        "reliability: the system on a cluster of three brokers, brokers and copies failing",
        [
            ("brokers / partitions per topic / copies of each", "3 / 12 / 3"),
            ("stream duration", f"{streamed:.0f} s"),
            *((f"accepted: {kind}", n) for kind, n in sorted(ledger.accepted.items())),
            ("accepted requests in all", sum(ledger.accepted.values())),
            *((f"attempts answered {k}", n) for k, n in sorted(attempts.outcomes.items())),
            *found.figures.items(),
            *found.verdict(),
            ("client-visible problems (5xx, hangs, wrong answers)", len(attempts.problems)),
            *((f"time to recover: {fault}", t) for fault, t in run.recoveries),
            *run.observed,
            ("settling after the stream", f"{time.monotonic() - settled:.1f} s"),
        ],
    )
    assert not ledger.unresolved, ledger.unresolved[:20]
    assert not attempts.problems, attempts.problems[:20]
    found.assert_none()
    assert ledger.accepted["registration"] > 100, "too little traffic to prove anything"


def leader_killed(run: Run, cluster: KafkaCluster) -> None:
    """kill -9 of the broker leading partition 0 of the elder topic, then started again."""
    leader = cluster.leader_of(Topics.ELDERS, 0)
    struck, expected = time.monotonic(), run.driver.ledger.expectation()
    cluster.kill(leader)
    name = cluster.name(leader)
    run.recovered(f"{name} (a leader) killed with -9, on the two others", struck, expected)
    back_again(run, cluster, leader)


def broker_away(run: Run, cluster: KafkaCluster) -> None:
    """Another broker stopped (SIGTERM: it hands its leaderships over) for 30 s."""
    away = (cluster.leader_of(Topics.ELDERS, 0) + 1) % len(cluster.nodes)
    struck, expected = time.monotonic(), run.driver.ledger.expectation()
    outcome = cluster.stop(away)
    run.observe(f"broker stopped for {BROKER_AWAY:.0f} s", f"{cluster.name(away)}: {outcome}")
    run.recovered(f"{cluster.name(away)} stopped, on the two others", struck, expected)
    time.sleep(max(0.0, BROKER_AWAY - (time.monotonic() - struck)))
    back_again(run, cluster, away)


def back_again(run: Run, cluster: KafkaCluster, index: int) -> None:
    """Start the broker again on its data, and wait until it holds every copy it should."""
    started = time.monotonic()
    cluster.start(index)
    name = cluster.name(index)
    run.observe(f"{name} started again and serving, in", f"{time.monotonic() - started:.1f} s")
    waited = cluster.wait_in_sync(EVENT_TOPICS)
    run.observe(f"{name}: every copy in sync again, after a further", f"{waited:.1f} s")
    lifted, expected = time.monotonic(), run.driver.ledger.expectation()
    run.recovered(f"{name} back in the cluster", lifted, expected)


def copies_added_then_killed(run: Run) -> None:
    """A second copy of each service's worker joins mid-stream; then it is killed with -9."""
    stack = run.stack
    copies = {service: stack.start_replica(service, 1) for service in CONSUMED}
    for service, copy in copies.items():
        first, topic = f"{service}-worker", CONSUMED[service]
        waited = wait_for(
            f"{service}: both copies consuming {topic}",
            lambda f=first, c=copy, t=topic: split(
                stack, partitions_held(stack, f, t), partitions_held(stack, c, t)
            ),
            lambda f=first, c=copy, t=topic: {n: partitions_held(stack, n, t) for n in (f, c)},
        )
        run.observe(
            f"{service}: {topic}'s 12 partitions split between two copies in", f"{waited:.1f} s"
        )
        held = duties_held(stack, [first, copy])
        assert held and all(len(h) == 1 for h in held.values()), held
    time.sleep(10)  # both copies consume the stream
    for service, copy in copies.items():
        first, topic = f"{service}-worker", CONSUMED[service]
        lifted, expected = time.monotonic(), run.driver.ledger.expectation()
        stack.kill(copy)
        waited = wait_for(
            f"{service}: the first copy takes every partition back",
            lambda f=first, t=topic: holds_all(stack, f, t),
            lambda f=first, t=topic: partitions_held(stack, f, t),
        )
        run.observe(f"{service}: partitions back after kill -9 of the copy in", f"{waited:.1f} s")
        run.recovered(f"{copy} killed with -9", lifted, expected)
