"""MongoDB operator injection, tried at every door of every service: an operator object where
a value is expected, `$`-keys and dotted keys in bodies, operator syntax in query names. Every
attempt is refused with 422 (or 400) and the store is left exactly as it was."""

import re
from datetime import UTC, datetime
from importlib import import_module

import pytest
from staff import add_staff, staff_headers
from test_intake_api import registration

from shared.clock import FixedClock

TOKENS = "tok-admin:root:district_admin"
ADMIN = staff_headers(TOKENS)["tok-admin"]
CLOCK = FixedClock(datetime(2026, 11, 29, 2, tzinfo=UTC))
OPERATORS = ({"$gt": ""}, {"$ne": None}, {"$where": "sleep(1000)"}, {"$regex": ".*"})


@pytest.fixture(params=("intake", "visits", "allowances"))
def service(request, settings):
    name = request.param
    wired = import_module(f"services.{name}.bootstrap").bootstrap(settings, CLOCK)
    client = import_module(f"services.{name}.entrypoints.app").create_app(wired).test_client()
    if name == "intake":
        from services.intake.domain.district import Community
        from services.intake.service_layer.district import configure_communities

        configure_communities(wired, [Community("c01", "一")])
        add_staff(wired, TOKENS)
        assert client.post("/elders", json=registration(), headers=ADMIN).status_code == 201
    yield name, client, wired.db
    wired.db.client.drop_database(wired.db.name)


def snapshot(db) -> dict:
    return {name: list(db[name].find()) for name in sorted(db.list_collection_names())}


def resolve(spec: dict, schema: dict) -> dict:
    while "$ref" in schema:
        target = spec
        for part in schema["$ref"].removeprefix("#/").split("/"):
            target = target[part]
        schema = target
    return schema


def operations(spec: dict):
    for path, item in spec["paths"].items():
        for method, operation in item.items():
            if method == "parameters":
                continue
            concrete = re.sub(r"{([a-z_]+)}", lambda m: "2026-11" if m[1] == "month" else "x", path)
            yield method, concrete, operation


def json_bodies(spec: dict, operation: dict):
    """Bodies with an operator in each field in turn, and `$`- and dotted keys."""
    content = operation.get("requestBody", {}).get("content", {})
    if "application/json" not in content:
        return
    schema = resolve(spec, content["application/json"]["schema"])
    properties = schema.get("properties", {})
    for name, prop in properties.items():
        for operator in OPERATORS:
            yield {name: operator}
        inner = resolve(spec, prop)
        if inner.get("type") == "object" or "properties" in inner:
            yield {name: {"$set": {"status": "x"}}}
            yield {name: {"a.b": 1}}
    yield {"$where": "1 == 1"}
    yield {"version": 1, "$set": {"community": "c99"}}


def test_operators_in_bodies_and_query_names_are_refused_and_change_nothing(service):
    _, client, db = service
    spec = client.get("/openapi.json").json
    before = snapshot(db)
    tried = []
    for method, path, operation in operations(spec):
        for body in json_bodies(spec, operation):
            answer = client.open(path, method=method.upper(), json=body, headers=ADMIN)
            tried.append((method, path, str(body), answer.status_code))
        for parameter in operation.get("parameters", []):
            if parameter.get("in") != "query":
                continue
            field = parameter["name"]
            for query in (f"{field}[$ne]=x", f"{field}[$gt]=", f"$where=1&{field}=x"):
                answer = client.open(f"{path}?{query}", method=method.upper(), headers=ADMIN)
                tried.append((method, path, query, answer.status_code))
    assert len(tried) > 50
    accepted = [attempt for attempt in tried if attempt[3] not in (400, 422)]
    assert accepted == []
    assert snapshot(db) == before


@pytest.mark.parametrize("service", ["intake"], indirect=True)  # the register has records
def test_an_operator_as_a_query_value_is_only_a_string(service):
    _, client, _ = service
    everyone = client.get("/elders", headers=ADMIN).json["total"]
    assert everyone == 1
    for value in ('{"$ne": null}', "$ne", ".*"):
        answer = client.get("/elders", query_string={"community": value}, headers=ADMIN)
        assert answer.status_code in (200, 422)
        if answer.status_code == 200:
            assert answer.json["total"] == 0
