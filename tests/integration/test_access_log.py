"""The access log against the real store: one line per sign-in, refusal and read of sensitive
data, written through the services' APIs; a chain that concurrent writers do not fork and that
shows a line changed or deleted in the store."""

from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, date, datetime

import pytest
from intake_under_test import intake_under_test
from pymongo import MongoClient
from staff import staff_headers
from test_allowances_api import OFFICER, advance, feed, opened, with_account
from test_intake_api import registration

from services.allowances.bootstrap import bootstrap as allowances_bootstrap
from services.allowances.entrypoints.app import create_app as allowances_app
from services.intake.domain.district import Community
from services.intake.entrypoints.app import create_app as intake_app
from services.intake.service_layer.users import create_user
from shared.access_log import Access
from shared.access_log_store import COLLECTION, AccessLogStore, line_id
from shared.clock import FixedClock
from shared.web.auth import ADMIN

TOKENS = "clerk:clerk:intake_clerk,admin:admin:district_admin,visitor:visitor:visitor"
STAFF = staff_headers(TOKENS)
CLERK, ADMIN_TOKEN, VISITOR = STAFF["clerk"], STAFF["admin"], STAFF["visitor"]
PASSWORD = "correct horse battery"


@pytest.fixture
def intake(settings):
    now, communities = datetime(2026, 11, 29, 2, tzinfo=UTC), [Community("c01", "一社区")]
    with intake_under_test(settings, now, communities, TOKENS) as service:
        create_user(service, "root", PASSWORD, [ADMIN], None)
        yield service


@pytest.fixture
def client(intake):
    return intake_app(intake).test_client()


def lines(client, **query):
    query = {"page_size": 100, **query}
    answer = client.get("/access-log", query_string=query, headers=ADMIN_TOKEN)
    assert answer.status_code == 200, answer.json
    return answer.json["items"]


def last(client, kind):
    found = lines(client, kind=kind)
    assert found, f"no {kind} line"
    return found[0]


def test_a_full_id_number_is_logged_and_a_masked_one_is_not(client):
    elder = client.post("/elders", json=registration(), headers=CLERK).json
    before = len(lines(client, kind="national_id"))
    assert client.get(f"/elders/{elder['elder_id']}", headers=CLERK).status_code == 200
    read = last(client, "national_id")
    assert len(lines(client, kind="national_id")) == before + 1
    assert (read["user"], read["roles"], read["resource"]) == (
        "clerk",
        ["intake_clerk"],
        elder["elder_id"],
    )
    assert (read["outcome"], read["status"], read["address"]) == ("ok", 200, "127.0.0.1")
    # the visitor sees the number masked, and the register's lists always: no line
    assert client.get(f"/elders/{elder['elder_id']}", headers=VISITOR).status_code == 200
    assert client.get("/elders", headers=CLERK).status_code == 200
    assert client.get("/healthz").status_code == 200
    assert len(lines(client, kind="national_id")) == before + 1
    assert lines(client, user="visitor") == []


def test_an_elders_history_read_is_logged(client):
    elder = client.post("/elders", json=registration(), headers=CLERK).json
    answer = client.get(f"/elders/{elder['elder_id']}/history", headers=VISITOR)
    assert answer.status_code == 200
    read = last(client, "history")
    assert (read["user"], read["resource"], read["outcome"]) == (
        "visitor",
        elder["elder_id"],
        "ok",
    )
    client.get(f"/audit?elder_id={elder['elder_id']}", headers=ADMIN_TOKEN)
    assert last(client, "history")["resource"] == f"/audit?elder_id={elder['elder_id']}"


def test_every_401_and_403_is_logged_with_who_and_what(client):
    assert client.get("/elders").status_code == 401
    anonymous = last(client, "unauthenticated")
    assert (anonymous["user"], anonymous["resource"], anonymous["outcome"]) == (
        None,
        "GET /elders",
        "denied",
    )
    bad = {"Authorization": "Bearer not-a-token"}
    assert client.get("/users", headers=bad).status_code == 401
    assert last(client, "unauthenticated")["resource"] == "GET /users"
    assert client.post("/elders", json=registration(), headers=VISITOR).status_code == 403
    refused = last(client, "forbidden")
    assert (refused["user"], refused["roles"], refused["resource"], refused["status"]) == (
        "visitor",
        ["visitor"],
        "POST /elders",
        403,
    )


def test_sign_ins_are_logged_whether_they_succeed_or_fail(client):
    wrong = client.post("/auth/token", json={"username": "root", "password": "not it at all"})
    assert wrong.status_code == 401
    failed = last(client, "sign_in")
    assert (failed["user"], failed["outcome"], failed["status"]) == ("root", "denied", 401)
    right = client.post("/auth/token", json={"username": "root", "password": PASSWORD})
    assert right.status_code == 200
    signed_in = last(client, "sign_in")
    assert (signed_in["user"], signed_in["roles"], signed_in["outcome"]) == (
        "root",
        [ADMIN],
        "ok",
    )
    assert len(lines(client, kind="sign_in")) == 2  # a failed sign-in is not also a bare 401
    assert lines(client, kind="unauthenticated") == []


def test_user_management_is_logged(client):
    new = {"username": "li.ming", "password": "long enough pass", "roles": ["visitor"]}
    assert client.post("/users", json=new, headers=ADMIN_TOKEN).status_code == 201
    created = last(client, "user_management")
    assert (created["user"], created["resource"], created["status"]) == ("admin", "li.ming", 201)
    change = {"active": False}
    assert client.patch("/users/li.ming", json=change, headers=ADMIN_TOKEN).status_code == 200
    assert [line["status"] for line in lines(client, kind="user_management")] == [200, 201]


def test_the_statistics_workbook_is_an_export_and_their_figures_are_not(client):
    assert client.get("/statistics", headers=CLERK).status_code == 200
    assert lines(client, kind="export") == []
    workbook = client.get("/statistics?format=xlsx", headers=CLERK)
    assert workbook.status_code == 200
    export = last(client, "export")
    assert (export["user"], export["resource"]) == ("clerk", "/statistics?format=xlsx")


def test_only_the_district_administrator_reads_the_log(client):
    assert client.get("/access-log", headers=CLERK).status_code == 403
    assert client.get("/access-log/verify", headers=CLERK).status_code == 403
    assert last(client, "forbidden")["resource"] == "GET /access-log/verify"
    since = lines(client)[0]["at"]
    assert all(line["at"] >= since for line in lines(client, since=since))
    assert lines(client, since="2999-01-01T00:00:00+00:00") == []


@pytest.fixture
def allowances(settings):
    service = allowances_bootstrap(
        settings,
        FixedClock(datetime(2026, 9, 10, 2, tzinfo=UTC)),
    )
    yield service
    service.db.client.drop_database(service.db.name)


def test_payment_files_rosters_statements_and_payee_accounts_are_logged(allowances):
    client = allowances_app(allowances).test_client()
    feed(allowances, elder_id="e-1", birth_date=date(1936, 9, 18))
    cycle = opened(client)
    with_account(client, "e-1")
    advance(client, cycle["cycle_id"], until="export")
    store = AccessLogStore(allowances.db)

    def kinds() -> list[tuple[str, str]]:
        return [(line["kind"], line["resource"]) for line in store.in_order()]

    assert kinds() == []  # the work itself leaves no access line
    file = client.get(f"/cycles/{cycle['cycle_id']}/payment-file?format=csv", headers=OFFICER)
    assert file.status_code == 200
    client.get("/rosters/90-plus/2026-09?format=xlsx", headers=OFFICER)
    client.get("/elders/e-1/statement", headers=OFFICER)
    client.get("/elders/e-1/payee-account", headers=OFFICER)
    assert kinds() == [
        ("payment_file", cycle["cycle_id"]),
        ("roster", "/rosters/90-plus/2026-09?format=xlsx"),
        ("history", "e-1"),
        ("payee_account", "e-1"),
    ]
    assert {line["user"] for line in store.in_order()} == {"officer"}


def test_the_chain_written_through_the_api_shows_a_changed_and_a_deleted_line(client, intake):
    elder = client.post("/elders", json=registration(), headers=CLERK).json
    for _ in range(3):
        client.get(f"/elders/{elder['elder_id']}", headers=CLERK)
        client.get("/elders")
    intact = client.get("/access-log/verify", headers=ADMIN_TOKEN).json
    assert intact["intact"] and intact["lines"] >= 7 and intact["broken_at"] is None

    # an attacker with access to the store rewrites who read the number
    stored = intake.db[COLLECTION]
    original = stored.find_one({"_id": line_id(3)})
    stored.update_one({"_id": line_id(3)}, {"$set": {"user": "nobody"}})
    changed = client.get("/access-log/verify", headers=ADMIN_TOKEN).json
    assert not changed["intact"] and changed["broken_at"] == 3
    assert "changed" in changed["problem"]

    stored.replace_one({"_id": line_id(3)}, original)
    assert client.get("/access-log/verify", headers=ADMIN_TOKEN).json["intact"]
    # the last line removed: only the anchor kept from the first verdict shows it
    kept = {"seq": intact["last_seq"], "hash": intact["last_hash"]}
    stored.delete_one({"_id": line_id(intact["last_seq"])})
    assert client.get("/access-log/verify", headers=ADMIN_TOKEN).json["intact"]
    cut = client.get("/access-log/verify", query_string=kept, headers=ADMIN_TOKEN).json
    assert not cut["intact"] and cut["broken_at"] == intact["last_seq"]
    half = client.get("/access-log/verify?seq=3", headers=ADMIN_TOKEN)
    assert half.status_code == 422
    stored.delete_one({"_id": line_id(5)})
    deleted = client.get("/access-log/verify", headers=ADMIN_TOKEN).json
    assert not deleted["intact"] and deleted["broken_at"] == 5
    assert "missing" in deleted["problem"]


def test_concurrent_writers_in_threads_and_processes_do_not_fork_the_chain(settings):
    # two clients stand for two API processes, each with threads sharing its client
    clients = [MongoClient(settings.mongo_url, tz_aware=True) for _ in range(2)]
    stores = [AccessLogStore(client[settings.database]) for client in clients]
    try:

        def read(n: int) -> int:
            access = Access("national_id", f"e-{n}", "ok", 200, "clerk", ("intake_clerk",))
            return stores[n % 2].append(access)["seq"]

        with ThreadPoolExecutor(max_workers=8) as pool:
            numbers = sorted(pool.map(read, range(60)))
        assert numbers == list(range(1, 61))
        verdict = stores[0].verify()
        assert verdict.intact and verdict.lines == 60
        assert sorted(line["resource"] for line in stores[1].in_order()) == sorted(
            f"e-{n}" for n in range(60)
        )
    finally:
        clients[0].drop_database(settings.database)
        for client in clients:
            client.close()


@pytest.fixture
def store(settings):
    client = MongoClient(settings.mongo_url, tz_aware=True)
    yield AccessLogStore(client[settings.database])
    client.drop_database(settings.database)
    client.close()


def write(store, count):
    for n in range(count):
        store.append(Access("history", f"e-{n}", "ok", 200, "clerk", ("intake_clerk",)))


def test_a_process_that_starts_later_finds_the_last_line_and_follows_it(store):
    write(store, 37)
    later = AccessLogStore(store.lines.database)  # knows nothing of the lines yet
    assert later.append(Access("roster", "/r", "ok", 200, "officer"))["seq"] == 38
    assert later.verify().intact and later.verify().lines == 38
    newest, total = later.search(None, None, None, skip=0, limit=3)
    assert [line["seq"] for line in newest] == [38, 37, 36] and total == 38
    assert [line["seq"] for line in later.search(None, None, None, 36, 5)[0]] == [2, 1]
    assert later.search("officer", None, None, 0, 10)[1] == 1


def test_lines_kept_after_a_long_run_of_deleted_ones_are_reported(store, monkeypatch):
    monkeypatch.setattr("shared.access_log_store.BATCH", 5)
    write(store, 13)
    store.lines.delete_many({"_id": {"$in": [line_id(n) for n in range(6, 11)]}})
    verdict = store.verify()
    assert not verdict.intact and verdict.broken_at == 6 and verdict.lines == 5
    assert "3 lines stored after it" in verdict.problem
