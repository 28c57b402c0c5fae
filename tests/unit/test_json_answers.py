"""The services' JSON answers, written by orjson (shared.web.json_answers): the same JSON as
the standard library wrote before, and the workbench's words looked up once a request."""

import json
from decimal import Decimal

import pytest
from flask import Flask, jsonify

from portal.app import create_app
from portal.config import PortalSettings
from shared.web.json_answers import OrjsonProvider
from shared.web.problems import problem


def answering_app() -> Flask:
    app = Flask("answers")
    app.json = OrjsonProvider(app)
    return app


def test_an_answer_has_its_keys_sorted_its_chinese_kept_and_its_amounts_as_text():
    app = answering_app()
    value = {"name": "张三", "amount": Decimal("120.50"), "by_year": {2026: 3}, "ok": None}
    with app.test_request_context():
        body = jsonify(value).get_data()
    assert body == '{"amount":"120.50","by_year":{"2026":3},"name":"张三","ok":null}\n'.encode()
    assert json.loads(body) == {**value, "amount": "120.50", "by_year": {"2026": 3}}


def test_a_value_json_cannot_hold_is_refused_as_before():
    app = answering_app()
    with app.test_request_context(), pytest.raises(TypeError, match="not JSON serializable"):
        jsonify({"a": object()})


def test_a_caller_asking_for_an_indent_gets_it():
    app = answering_app()
    with app.app_context():
        assert app.json.dumps({"b": 1, "a": "张"}, indent=2) == '{\n  "a": "张",\n  "b": 1\n}'


def test_a_problem_is_one_line_of_json_with_its_chinese_kept():
    app = answering_app()
    with app.test_request_context():
        answer = problem(422, "Unprocessable", "身份证号校验位不对")
    assert answer.mimetype == "application/problem+json"
    assert json.loads(answer.get_data()) == {
        "type": "about:blank",
        "title": "Unprocessable",
        "status": 422,
        "detail": "身份证号校验位不对",
    }
    assert "身份证号".encode() in answer.get_data()


def test_each_request_of_the_workbench_is_in_its_own_language():
    """Its words are looked up once a request: a request in English after one in Chinese (and
    back) is in its own language, not in the one looked up before."""
    app = create_app(PortalSettings(secret_key="k" * 32, apis={"intake": "http://127.0.0.1:9"}))
    client = app.test_client()
    said = []
    for language in ("zh_CN", "en", "zh_CN"):
        with client.session_transaction() as session:
            session["language"] = language
        said.append(client.get("/sign-in").get_data(as_text=True))
    assert "<h1>登录</h1>" in said[0] and "<h1>登录</h1>" in said[2]
    assert "<h1>Sign in</h1>" in said[1] and "登录</h1>" not in said[1]


def test_an_integer_past_64_bits_is_written_as_the_standard_library_writes_it():
    app = answering_app()
    with app.test_request_context():
        body = jsonify({"value": 10**30, "name": "张三"}).get_data()
    assert body == '{"name":"张三","value":1000000000000000000000000000000}\n'.encode()
