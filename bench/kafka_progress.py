"""How far events have got: a topic's end offsets and a consumer group's committed offsets.
A group whose committed offsets reach the end has stored the effect of every event."""

from typing import Any

from kafka import KafkaAdminClient, KafkaConsumer, TopicPartition


class Progress:
    def __init__(self, kafka: dict[str, Any]) -> None:
        self.admin = KafkaAdminClient(**kafka)
        self.consumer = KafkaConsumer(**kafka, enable_auto_commit=False)

    def partitions(self, topic: str) -> list[TopicPartition]:
        found = self.consumer.partitions_for_topic(topic) or set()
        return [TopicPartition(topic, p) for p in sorted(found)]

    def end(self, topic: str) -> dict[TopicPartition, int]:
        return dict(self.consumer.end_offsets(self.partitions(topic)))

    def committed(self, group: str, topic: str) -> dict[TopicPartition, int]:
        offsets = self.admin.list_group_offsets({group: None}).get(group, {})
        mine = {tp: meta.offset for tp, meta in offsets.items() if tp.topic == topic}
        return {tp: offset for tp, offset in mine.items() if offset >= 0}

    def published(self, topic: str, since: dict[TopicPartition, int]) -> int:
        return sum(end - since.get(tp, 0) for tp, end in self.end(topic).items())

    def consumed(self, group: str, topic: str, since: dict[TopicPartition, int]) -> int:
        """Events of `topic` after `since` whose effect the group has stored."""
        committed = self.committed(group, topic)
        return sum(
            max(0, committed.get(tp, since.get(tp, 0)) - since.get(tp, 0))
            for tp in self.partitions(topic)
        )

    def close(self) -> None:
        self.consumer.close()
        self.admin.close()
