"""The district's service contacts on the real store: set by the administrator in intake, kept
with their history and announced through intake's outbox; that event, as visits' and
allowances' workers take it, changes what their forms print, and a replay changes nothing."""

from dataclasses import replace
from datetime import UTC, datetime

import pytest
from intake_under_test import intake_under_test
from report_reading import pdf_text, workbook_rows
from staff import staff_headers

from services.allowances.bootstrap import bootstrap as bootstrap_allowances
from services.allowances.entrypoints.app import create_app as allowances_app
from services.allowances.service_layer.handlers import handlers as allowances_handlers
from services.intake.domain.district import Community
from services.intake.entrypoints.app import create_app as intake_app
from services.visits.bootstrap import bootstrap as bootstrap_visits
from services.visits.entrypoints.app import create_app as visits_app
from services.visits.service_layer.handlers import handlers as visits_handlers
from shared.clock import FixedClock
from shared.events import decode, event_type
from shared.outbox import OUTBOX
from shared.service_contacts import COLLECTION, DISTRICT

NOW = datetime(2026, 11, 29, 2, tzinfo=UTC)
TOKENS = (
    "admin:admin:district_admin,clerk:clerk:intake_clerk,head:li:community_head@c01,"
    "officer:wu:allowance_officer"
)
STAFF = staff_headers(TOKENS)
ADMIN, CLERK, HEAD, OFFICER = STAFF["admin"], STAFF["clerk"], STAFF["head"], STAFF["officer"]
PATH = "/district/service-contacts"


@pytest.fixture
def intake(settings):
    with intake_under_test(settings, NOW, [Community("c01", "新华社区")], TOKENS) as service:
        yield service


@pytest.fixture
def others(settings):
    """Visits and allowances, each with a database of its own, and no contacts heard yet."""
    defaults = replace(settings, hotline="96345", service_guide="")
    made = (
        bootstrap_visits(
            replace(defaults, mongo_db=f"{settings.database}_visits"), FixedClock(NOW)
        ),
        bootstrap_allowances(
            replace(defaults, mongo_db=f"{settings.database}_allowances"), FixedClock(NOW)
        ),
    )
    yield made
    for service in made:
        service.db.client.drop_database(service.db.name)


def announced(intake) -> list:
    document = intake.db[COLLECTION].find_one({"_id": DISTRICT})
    return [decode(e["value"].encode()) for e in document[OUTBOX]]


def test_set_by_the_administrator_announced_and_printed_by_every_service(intake, others):
    client = intake_app(intake).test_client()
    held = client.get(PATH, headers=CLERK).json
    assert held == {"version": 0, "hotline": "", "service_guide": ""}  # not set: the defaults
    body = {"version": 0, "hotline": "12349", "service_guide": "《新华街道为老服务指南》"}
    assert client.put(PATH, json=body, headers=CLERK).status_code == 403  # the administrator's
    wrong = client.put(PATH, json={**body, "hotline": "twelve"}, headers=ADMIN)
    assert wrong.status_code == 422 and wrong.json["field"] == "hotline"
    answer = client.put(PATH, json=body, headers=ADMIN)
    assert answer.status_code == 200, answer.json
    assert answer.json == {
        "version": 1,
        "hotline": "12349",
        "service_guide": "新华街道为老服务指南",
    }
    stale = client.put(PATH, json={**body, "hotline": "12345"}, headers=ADMIN)
    assert stale.status_code == 409 and "version 1" in stale.json["detail"]
    assert client.get(PATH, headers=CLERK).json["version"] == 1
    [event] = announced(intake)
    assert (event.type, event.subject, event.data["hotline"]) == (
        "district.contacts_changed",
        DISTRICT,
        "12349",
    )
    assert [line["change"] for line in intake.service_contacts.history(DISTRICT)] == [
        "service contacts set"
    ]
    trail = client.get("/audit", query_string={"user": "admin"}, headers=ADMIN).json["items"]
    assert [(line["kind"], line["record_id"]) for line in trail] == [("service_contacts", DISTRICT)]

    visits, allowances = others
    notice = visits_app(visits).test_client()
    printed = notice.get("/reports/public-notice/c01?name=新华社区", headers=HEAD)
    assert "96345" in pdf_text(printed.data)  # the deployment's default, until it hears
    data = event_type(event.type).load(event)
    assert visits_handlers(visits)[event.type](event, data)
    assert allowances_handlers(allowances)[event.type](event, data)
    assert not visits_handlers(visits)[event.type](event, data)  # the same event again
    text = pdf_text(notice.get("/reports/public-notice/c01?name=新华社区", headers=HEAD).data)
    assert "12349" in text and "新华街道为老服务指南" in text and "96345" not in text
    book = (
        allowances_app(allowances)
        .test_client()
        .get("/reports/year/2026?format=xlsx", headers=OFFICER)
    )
    rows = workbook_rows(book.data)
    assert ["服务热线", "12349"] in rows and ["服务指南", "《新华街道为老服务指南》"] in rows
