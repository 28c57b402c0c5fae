from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from services.visits.domain.services_delivered import Count, deliver, statistics
from shared.errors import RuleViolation
from shared.vocabulary import SERVICE_TYPES

TODAY = date(2026, 11, 29)
NOW = datetime(2026, 11, 29, 8, 0, tzinfo=UTC)


def test_a_delivery_is_counted_in_the_month_it_was_delivered():
    delivery = deliver(
        "s-1",
        "e-1",
        "xinhua",
        "home_bed",
        date(2026, 10, 31),
        "王医生",
        "wang",
        NOW,
        TODAY,
        instances=3,
    )
    assert (delivery.month, delivery.instances) == ("2026-10", 3)


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"service_type": "massage"}, "service_type"),
        ({"delivered_on": TODAY + timedelta(days=1)}, "delivered_on"),
        ({"instances": 0}, "instances"),
        ({"provider": " "}, "provider"),
    ],
)
def test_bad_deliveries_are_refused_by_field(changes, field):
    facts = {"service_type": "medical", "delivered_on": TODAY, "provider": "王医生", "instances": 1}
    facts |= changes
    with pytest.raises(RuleViolation) as refused:
        deliver("s", "e", "xinhua", recorded_by="wang", now=NOW, today=TODAY, **facts)
    assert refused.value.context["field"] == field


def test_statistics_total_by_type_and_community_and_list_every_type():
    counts = [
        Count("xinhua", "medical", "2026-11", 3869),
        Count("xinhua", "housekeeping", "2026-11", 4200),
        Count("dongfeng", "medical", "2026-10", 1),
    ]
    stats = statistics("2026-10", "2026-11", counts)
    assert stats.total == 8070
    assert stats.by_type["medical"] == 3870 and stats.by_type["legal_advice"] == 0
    assert list(stats.by_type) == list(SERVICE_TYPES)
    assert stats.by_community == {"dongfeng": 1, "xinhua": 8069}
    assert stats.rows[0] == Count("dongfeng", "medical", "2026-10", 1)
    with pytest.raises(RuleViolation, match="ends before it begins"):
        statistics("2026-11", "2026-10", [])


@given(
    st.lists(
        st.tuples(
            st.sampled_from(SERVICE_TYPES),
            st.sampled_from(["a", "b"]),
            st.integers(min_value=1, max_value=1000),
        )
    )
)
def test_every_instance_is_counted_once_by_type_and_once_by_community(rows):
    stats = statistics("2026-01", "2026-01", [Count(c, t, "2026-01", n) for t, c, n in rows])
    assert sum(stats.by_type.values()) == sum(stats.by_community.values()) == stats.total
    assert stats.total == sum(n for _, _, n in rows)
