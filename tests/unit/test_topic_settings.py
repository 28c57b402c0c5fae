"""How the product's topics are made where a service makes them: from the settings."""

import pytest

from shared.config import Settings


def test_partitions_and_copies_come_from_the_environment_with_one_machines_defaults():
    one_machine = Settings.from_env("visits", {})
    assert (one_machine.kafka_topic_partitions, one_machine.kafka_replication_factor) == (3, 1)
    cluster = Settings.from_env(
        "visits", {"KAFKA_TOPIC_PARTITIONS": "12", "KAFKA_REPLICATION_FACTOR": "3"}
    )
    assert (cluster.kafka_topic_partitions, cluster.kafka_replication_factor) == (12, 3)


@pytest.mark.parametrize("variable", ["KAFKA_TOPIC_PARTITIONS", "KAFKA_REPLICATION_FACTOR"])
def test_no_partitions_or_no_copies_is_refused_by_name(variable):
    with pytest.raises(ValueError, match=variable):
        Settings.from_env("visits", {variable: "0"})
