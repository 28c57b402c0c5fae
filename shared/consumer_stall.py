"""Notices a consumer that has stopped consuming while events wait for it.

The Kafka client can leave a consumer that is connected and polling, yet fetches nothing: a
partition left waiting for an offset validation that never completes after the broker comes
back with a new leader epoch, or a group it never joins again. Nothing fails, so nothing is
retried, and the service's projections silently fall behind. The only remedy that always works
is the one an operator would apply: close the consumer and join the group again. Offsets are
committed only after effects are stored, so that loses nothing; whatever comes back twice is
absorbed by idempotent handlers.

The judgement is made on the group's committed offsets, not on what this process received, so
that it stays right when several replicas share the group: the group is stalled when some
partition has events beyond its committed offset and no committed offset has moved for
`stall_seconds`.

A check the consumer's own client cannot answer is asked again of a new client. If no client
can answer, that is an outage, which the poll loop waits out, and the clock restarts. If a new
client can, the cluster is up and only this client's view of it is broken: seen on a cluster,
a consumer that never learns a partition's new leader after the broker leading it was killed
(its metadata refresh failed once, and it fetched from the dead broker until restarted). Its
stalled partitions cannot be told from busy ones by offsets alone (the others still move on),
so when two checks in a row find it so, the consumer is replaced as well.
"""

import logging
import time
from collections.abc import Callable

from kafka import KafkaConsumer
from kafka.errors import KafkaError
from kafka.structs import TopicPartition

log = logging.getLogger(__name__)

STALL_SECONDS = 60.0
CHECK_SECONDS = 10.0
ASK_TIMEOUT_MS = 3000

Offsets = dict[TopicPartition, int]


class StallWatch:
    """Tells the consumer loop when its consumer should be replaced (see the module)."""

    def __init__(
        self,
        consumer: KafkaConsumer,
        stall_seconds: float = STALL_SECONDS,
        check_seconds: float = CHECK_SECONDS,
        clock: Callable[[], float] = time.monotonic,
        ask_another: Callable[[], KafkaConsumer] | None = None,
    ) -> None:
        self.consumer = consumer
        self.stall_seconds = stall_seconds
        self.check_seconds = check_seconds
        self.clock = clock
        # a new client, to ask what the consumer's own client could not answer
        self.ask_another = ask_another
        self._checked_at = clock()
        self._committed: Offsets | None = None
        self._unchanged_since: float | None = None
        self._broken_since: float | None = None
        self.waiting = 0  # events beyond the committed offsets at the last check
        self.reason = ""  # why it is stalled, once it is

    def stalled(self) -> bool:
        now = self.clock()
        if now - self._checked_at < self.check_seconds:
            return False
        self._checked_at = now
        try:
            committed, waiting = self._read_group()
        except KafkaError as error:
            log.debug("stall check not answered", extra={"error": str(error)})
            self._committed, self._unchanged_since = None, None
            return self._broken(now)
        self._broken_since = None
        self.waiting = waiting
        if waiting == 0 or committed != self._committed:
            self._committed, self._unchanged_since = committed, now
            return False
        self.reason = "no committed offset moved while events wait"
        return now - (self._unchanged_since or now) >= self.stall_seconds

    def _broken(self, now: float) -> bool:
        """Whether the consumer's client has failed to answer at two checks in a row while a
        new client answered (see the module)."""
        if not self._answered_by_another():
            self._broken_since = None  # an outage: nobody can answer
            return False
        if self._broken_since is None:
            self._broken_since = now
        self.reason = "its client no longer reaches the cluster a new client reaches"
        return now - self._broken_since >= self.check_seconds

    def _answered_by_another(self) -> bool:
        if self.ask_another is None:
            return False
        try:
            partitions = self._partitions()
            if not partitions:
                return False
            other = self.ask_another()
        except KafkaError:
            return False
        try:
            other.end_offsets(partitions, timeout_ms=ASK_TIMEOUT_MS)
        except KafkaError:
            return False
        finally:
            other.close()
        return True

    def _partitions(self) -> list[TopicPartition]:
        """Every partition of the subscribed topics, as the consumer last knew them."""
        consumer = self.consumer
        return [
            TopicPartition(topic, number)
            for topic in sorted(consumer.subscription() or ())
            for number in sorted(consumer.partitions_for_topic(topic) or ())
        ]

    def _read_group(self) -> tuple[Offsets, int]:
        """The group's committed offset of every partition of the subscribed topics, and how
        many events lie beyond them."""
        consumer = self.consumer
        partitions = self._partitions()
        if not partitions:
            return {}, 0
        ends = consumer.end_offsets(partitions, timeout_ms=ASK_TIMEOUT_MS)
        starts = consumer.beginning_offsets(partitions, timeout_ms=ASK_TIMEOUT_MS)
        committed: Offsets = {}
        waiting = 0
        for partition in partitions:
            offset = consumer.committed(partition, timeout_ms=ASK_TIMEOUT_MS)
            committed[partition] = max(offset or 0, starts[partition])
            waiting += max(0, ends[partition] - committed[partition])
        return committed, waiting
