"""Consumer lag: how many messages a consumer group has not yet processed, per partition."""

from dataclasses import dataclass


@dataclass(frozen=True)
class PartitionLag:
    """One partition as a group sees it.

    Offsets follow Kafka's convention: `committed` is the next offset the group will read,
    `end` the offset the next message written will get, `start` the oldest one still kept.
    """

    group: str
    topic: str
    partition: int
    committed: int | None  # None: the group has committed nothing here yet
    start: int
    end: int

    @property
    def lag(self) -> int:
        """Messages still to process. Without a commit, or with a commit older than what the
        log still keeps, the group starts from the oldest message kept (auto_offset_reset
        earliest), so everything from `start` counts."""
        consumed_to = self.start if self.committed is None else max(self.committed, self.start)
        return max(0, self.end - consumed_to)


@dataclass(frozen=True)
class GroupLag:
    """Every partition of every topic a group has committed offsets for."""

    group: str
    partitions: tuple[PartitionLag, ...] = ()
    error: str | None = None  # the offsets could not be read; the lag is unknown

    @property
    def total(self) -> int:
        return sum(p.lag for p in self.partitions)

    def by_topic(self) -> dict[str, int]:
        totals: dict[str, int] = {}
        for p in self.partitions:
            totals[p.topic] = totals.get(p.topic, 0) + p.lag
        return totals
