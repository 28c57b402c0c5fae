"""Services delivered to elders, as use cases on stores in memory: each service of one cause
recorded under the cause's own numbered id and announced, the same cause again adding
nothing, a refusal leaving nothing behind; and the instances counted by type, community and
month for the period asked (this month, if none), from the counts the store gives."""

from datetime import UTC, date, datetime

import pytest
from memory_visits import memory_visits, with_memory_reports
from test_visits_use_cases import register

from services.visits.domain.elder import Elder
from services.visits.domain.services_delivered import Count
from services.visits.domain.visit_records import ServiceGiven
from services.visits.service_layer.container import Visits
from services.visits.service_layer.services import record_services, service_statistics
from shared.errors import RuleViolation
from shared.memory_stores import MemoryRecords

NOW = datetime(2026, 11, 29, 8, 30, tzinfo=UTC)
TODAY = date(2026, 11, 29)  # in Shanghai too, at 16:30
GIVEN = [ServiceGiven("housekeeping", 2, "打扫厨房"), ServiceGiven("meals")]


@pytest.fixture
def visits() -> Visits:
    visits = memory_visits(NOW)
    register(visits, "e-1")
    register(visits, "e-2", community="dongfeng")
    return with_memory_reports(visits)


def elder(visits: Visits, elder_id: str) -> Elder:
    found = visits.elders.get(elder_id)
    assert found is not None
    return found


def announced(visits: Visits) -> list[tuple[str, str, str]]:
    store = visits.services
    assert isinstance(store, MemoryRecords)
    return [(e.type, e.subject, e.data["delivery_id"]) for e in store.announced]


def test_the_services_of_a_cause_are_recorded_under_its_numbered_ids_and_announced(visits):
    delivered = record_services(
        visits,
        "help:h-1",
        elder(visits, "e-1"),
        GIVEN,
        TODAY,
        "家政公司",
        "qian",
        help_request_id="h-1",
    )
    assert [d.delivery_id for d in delivered] == ["help:h-1:1", "help:h-1:2"]
    first, second = (visits.services.require(d.delivery_id) for d in delivered)
    assert (first, second) == tuple(delivered)
    assert (first.service_type, first.instances, first.note) == ("housekeeping", 2, "打扫厨房")
    assert (second.service_type, second.instances) == ("meals", 1)
    assert (first.community, first.month, first.provider, first.recorded_by) == (
        "xinhua",
        "2026-11",
        "家政公司",
        "qian",
    )
    assert (first.help_request_id, first.visit_id, first.recorded_at) == ("h-1", None, NOW)
    assert announced(visits) == [
        ("service.delivered", "e-1", "help:h-1:1"),
        ("service.delivered", "e-1", "help:h-1:2"),
    ]

    again = record_services(
        visits, "help:h-1", elder(visits, "e-1"), GIVEN, TODAY, "家政公司", "qian"
    )
    assert [d.delivery_id for d in again] == ["help:h-1:1", "help:h-1:2"]
    assert len(announced(visits)) == 2
    assert len(list(visits.services.each({}))) == 2


def test_a_cause_with_one_service_refused_records_none_of_them(visits):
    refused = {
        "delivered_on": (GIVEN, date(2026, 11, 30)),  # tomorrow in Shanghai
        "service_type": ([GIVEN[0], ServiceGiven("gardening")], TODAY),
        "instances": ([GIVEN[0], ServiceGiven("meals", 0)], TODAY),
    }
    for field, (given, day) in refused.items():
        with pytest.raises(RuleViolation) as refusal:
            record_services(visits, f"c-{field}", elder(visits, "e-1"), given, day, "王", "qian")
        assert refusal.value.context["field"] == field
    with pytest.raises(RuleViolation) as nobody:
        record_services(visits, "c-provider", elder(visits, "e-1"), GIVEN, TODAY, " ", "qian")
    assert nobody.value.context["field"] == "provider"
    assert list(visits.services.each({})) == [] and announced(visits) == []


def test_the_statistics_count_instances_by_type_community_and_month(visits):
    one, two = elder(visits, "e-1"), elder(visits, "e-2")
    record_services(visits, "s-1", one, GIVEN, date(2026, 10, 15), "家政公司", "qian")
    record_services(visits, "s-2", one, [ServiceGiven("meals", 3)], TODAY, "食堂", "qian")
    record_services(visits, "s-3", two, [ServiceGiven("medical")], TODAY, "社区医院", "zhou")
    record_services(
        visits, "s-4", two, [ServiceGiven("medical")], date(2026, 9, 30), "医院", "zhou"
    )

    autumn = service_statistics(visits, "2026-10", "2026-11", None)
    assert (autumn.first_month, autumn.last_month, autumn.total) == ("2026-10", "2026-11", 7)
    assert (autumn.by_type["meals"], autumn.by_type["housekeeping"]) == (4, 2)
    assert (autumn.by_type["medical"], autumn.by_type["repairs"]) == (1, 0)
    assert autumn.by_community == {"dongfeng": 1, "xinhua": 6}
    assert autumn.rows == (
        Count("xinhua", "housekeeping", "2026-10", 2),
        Count("xinhua", "meals", "2026-10", 1),
        Count("dongfeng", "medical", "2026-11", 1),
        Count("xinhua", "meals", "2026-11", 3),
    )
    xinhua = service_statistics(visits, "2026-09", "2026-11", "xinhua")
    assert (xinhua.total, xinhua.by_community) == (6, {"xinhua": 6})


def test_the_statistics_are_of_this_month_unless_a_period_is_asked(visits):
    record_services(visits, "s-1", elder(visits, "e-1"), GIVEN, date(2026, 10, 15), "王", "qian")
    record_services(
        visits, "s-2", elder(visits, "e-2"), [ServiceGiven("repairs")], TODAY, "王", "q"
    )
    this_month = service_statistics(visits, None, None, None)
    assert (this_month.first_month, this_month.last_month, this_month.total) == (
        "2026-11",
        "2026-11",
        1,
    )
    october = service_statistics(visits, "2026-10", None, None)  # one month given: that month
    assert (october.last_month, october.total) == ("2026-10", 3)
    assert service_statistics(visits, None, "2026-10", None).first_month == "2026-10"
    with pytest.raises(RuleViolation) as backwards:
        service_statistics(visits, "2026-11", "2026-10", None)
    assert backwards.value.context["field"] == "to_month"
