"""The workbench's parts that need no running service: its translations are complete and
compiled, the services' field errors are read from problem+json and said in Chinese, and the
worklist's days and weeks are the district's."""

from datetime import UTC, datetime
from io import BytesIO
from pathlib import Path
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from flask import Flask, current_app, render_template
from flask_babel import Babel, force_locale

from portal import timeline
from portal.apis import KEPT_SECONDS, KeptAnswers, problem_of
from portal.auth import safe_next
from portal.config import PortalSettings
from portal.messages import in_language
from portal.visits import boundaries, worklist_of
from services.intake.domain.national_id import (
    InvalidNationalId,
    check_character,
    parse_national_id,
)
from services.intake.service_layer import inbound
from shared.errors import RuleViolation

PORTAL = Path(__file__).resolve().parents[2] / "portal"
CATALOGUE = PORTAL / "translations" / "zh_Hans_CN" / "LC_MESSAGES"


def source_messages() -> set[str]:
    method_map = [("**.py", "python"), ("templates/**.html", "jinja2")]
    options = {"templates/**.html": {"extensions": "jinja2.ext.do"}}
    found = set()
    for _, _, message, _, _ in extract_from_dir(
        str(PORTAL),
        method_map,
        options,
        keywords={"_": None, "_l": None, "gettext": None, "ngettext": (1, 2)},
    ):
        found.add(message[0] if isinstance(message, tuple) else message)
    return found


def test_every_message_on_screen_has_its_chinese():
    with open(CATALOGUE / "messages.po", "rb") as po:
        catalogue = read_po(po)
    translated = {
        (m.id[0] if isinstance(m.id, tuple) else m.id)
        for m in catalogue
        if m.id and all(m.string if isinstance(m.string, tuple) else (m.string,))
    }
    missing = source_messages() - translated
    assert not missing, (
        f"add to messages.po (pybabel extract/update, see portal/babel.cfg): {missing}"
    )


def test_the_compiled_catalogue_is_the_written_one():
    with open(CATALOGUE / "messages.po", "rb") as po:
        written = read_po(po)
    compiled = BytesIO()
    write_mo(compiled, written)
    assert (CATALOGUE / "messages.mo").read_bytes() == compiled.getvalue(), (
        "recompile: pybabel compile -d portal/translations"
    )


@pytest.fixture
def chinese():
    app = Flask("portal", root_path=str(PORTAL))
    app.config["BABEL_TRANSLATION_DIRECTORIES"] = str(PORTAL / "translations")
    Babel(app)
    with app.app_context(), force_locale("zh_CN"):
        yield


def with_check(first17: str) -> str:
    return first17 + check_character(first17)


@pytest.mark.parametrize(
    "number",
    [
        "110105194403070022",  # wrong check character
        "11010519440307002",  # 17 characters
        "11010519440307A021",  # a letter among the digits
        with_check("99010519440307002"),  # no such province
        with_check("11010519441307002"),  # the 13th month
        with_check("11010518000307002"),  # born 1800
        "11010544030700A",  # a legacy number with a letter
    ],
)
def test_intakes_own_id_number_errors_are_said_in_chinese(chinese, number):
    with pytest.raises(InvalidNationalId) as refused:
        parse_national_id(number)
    said = in_language(str(refused.value))
    assert said != str(refused.value), f"no Chinese for: {refused.value}"
    assert any("\u4e00" <= c <= "\u9fff" for c in said)


def test_a_check_character_error_names_the_right_one(chinese):
    assert (
        in_language("check character is '2', expected '1'")
        == "校验码是 2，应为 1：请核对身份证号。"
    )


@pytest.mark.parametrize(("may_override", "asked"), [(False, "区级管理员"), (True, "原因")])
def test_intakes_id_number_mismatch_is_said_in_chinese(chinese, may_override, asked):
    elder = SimpleNamespace(national_id="110105194403070021")
    with pytest.raises(RuleViolation) as refused:
        inbound._require_override("330281193808080048", elder, None, may_override)
    said = in_language(refused.value.detail)
    assert said.startswith("事件中的身份证号 330281********0048 与该老年人的身份证号")
    assert "110105********0021" in said and asked in said


def test_an_unknown_message_is_shown_as_the_service_wrote_it(chinese):
    assert in_language("something new went wrong") == "something new went wrong"


def test_field_errors_are_read_from_nested_errors_and_from_a_named_field():
    problem = problem_of(
        422,
        {
            "title": "Invalid request",
            "detail": "Fields with errors: emergency_contact, name",
            "errors": {
                "name": ["Missing data for required field."],
                "emergency_contact": {"phone": ["not a phone number"]},
                "household_members": {"0": {"relation": ["Missing data for required field."]}},
            },
        },
    )
    assert problem.fields == {
        "name": ["Missing data for required field."],
        "emergency_contact.phone": ["not a phone number"],
        "household_members.0.relation": ["Missing data for required field."],
    }
    rule = problem_of(422, {"title": "Rule violated", "detail": "too young", "field": "birth_date"})
    assert rule.fields == {"birth_date": ["too young"]}


@pytest.mark.parametrize(
    ("target", "expected"),
    [
        ("/elders/new", "/elders/new"),
        ("/worklist?x=1", "/worklist?x=1"),
        ("//evil.example/", "/"),
        ("https://evil.example/", "/"),
        ("javascript:alert(1)", "/"),
        ("", "/"),
    ],
)
def test_after_signing_in_only_a_page_of_this_site_is_opened(target, expected):
    app = Flask("portal")
    app.add_url_rule("/", "home.index")
    with app.test_request_context():
        assert safe_next(target) == expected


def test_the_settings_need_a_session_key_and_find_the_apis():
    with pytest.raises(RuntimeError, match="PORTAL_SECRET_KEY"):
        PortalSettings.from_env({})
    settings = PortalSettings.from_env(
        {
            "PORTAL_SECRET_KEY": "k" * 32,
            "PORTAL_APIS": "intake=http://i:8000,visits=http://v:8000",
            "ELDERCARE_TIMEZONE": "Asia/Urumqi",
        }
    )
    assert settings.apis == {"intake": "http://i:8000", "visits": "http://v:8000"}
    assert settings.zone == ZoneInfo("Asia/Urumqi")
    assert datetime(2026, 1, 1, tzinfo=UTC).astimezone(settings.zone).hour == 6


def test_the_timeline_merges_the_services_newest_first(chinese):
    history = [{"at": "2026-10-30T02:00:00+00:00", "by": "clerk", "change": "registered"}]
    obligations = [
        {
            "kind": "mandatory",
            "trigger": "hospitalised",
            "created_at": "2026-11-20T02:00:00+00:00",
            "due_at": "2026-11-23T02:00:00+00:00",
            "status": "met",
            "met_at": "2026-11-21T03:00:00+00:00",
            "on_time": True,
        }
    ]
    visits = [
        {
            "visited_at": "2026-11-21T03:00:00+00:00",
            "kind": "home",
            "findings": "精神尚可",
            "visitor": "visitor",
        }
    ]
    statement = {
        "lines": [
            {"month": "2026-11", "eligible": True, "amount_fen": 10050, "detail": "80-89"},
            {"month": "2026-10", "eligible": False, "amount_fen": 0, "detail": "not yet 80"},
        ]
    }
    entries = timeline.merged(
        timeline.from_history(history),
        timeline.from_obligations(obligations),
        timeline.from_visits(visits),
        timeline.from_statement(statement),
    )
    assert [(e.service, e.what) for e in entries] == [
        ("visits", "走访任务已完成：生病住院"),
        ("visits", "走访记录：入户走访"),
        ("visits", "走访任务：生病住院"),
        ("allowances", "2026-11 津贴：100.50 元"),
        ("intake", "登记"),
    ]
    assert entries[0].detail == "按时" and entries[1].by == "visitor"


@pytest.mark.parametrize(
    ("now", "today_ends", "week_ends"),
    [
        ("2026-12-04T10:00:00+00:00", "2026-12-05T00:00:00+08:00", "2026-12-07T00:00:00+08:00"),
        # 23:30 on Sunday in Shanghai, still Sunday afternoon in UTC: the week ends tonight
        ("2026-12-06T15:30:00+00:00", "2026-12-07T00:00:00+08:00", "2026-12-07T00:00:00+08:00"),
        # 00:30 on Monday in Shanghai, Sunday in UTC: a new week
        ("2026-12-06T16:30:00+00:00", "2026-12-08T00:00:00+08:00", "2026-12-14T00:00:00+08:00"),
    ],
)
def test_the_worklist_counts_days_and_weeks_in_the_district(now, today_ends, week_ends):
    zone = ZoneInfo("Asia/Shanghai")
    end_of_today, end_of_week = boundaries(datetime.fromisoformat(now), zone)
    assert end_of_today == datetime.fromisoformat(today_ends)
    assert end_of_week == datetime.fromisoformat(week_ends)


def obligation_due(day: int, n: int) -> dict:
    return {
        "obligation_id": f"o-{day}-{n}",
        "elder_id": f"e-{n}",
        "elder": {"name": f"老人{n}"},
        "due_at": f"2026-12-{day:02d}T02:00:00+00:00",
        "kind": "incident",
        "trigger": "hospitalised",
    }


def test_a_week_longer_than_its_page_says_how_much_is_shown_and_where_the_rest_is(chinese):
    """The API gives at most 100 at a time, the soonest due first; a worker with more due this
    week is told so, not shown a list that looks whole."""
    current_app.extensions["portal"] = SimpleNamespace(zone=ZoneInfo("Asia/Shanghai"))
    now = datetime(2026, 12, 3, 2, 0, tzinfo=UTC)
    page = [obligation_due(2, n) for n in range(60)] + [obligation_due(5, n) for n in range(40)]
    work = worklist_of({"items": page, "total": 130}, now)
    assert (len(work.overdue), len(work.this_week), work.shown) == (60, 40, 100)
    assert work.cut_short and work.total == 130
    said = render_template("visits/_cut_short.html", work=work, rest="请选择居民小组或楼栋。")
    assert "本周内到期的待办走访任务共 130 项，这里显示最早到期的 100 项。" in said
    assert "请选择居民小组或楼栋。" in said

    whole = worklist_of({"items": page[:30], "total": 30}, now)
    assert not whole.cut_short and whole.total == 30
    assert render_template("visits/_cut_short.html", work=whole, rest="").strip() == ""
    assert worklist_of({"items": page[:3]}, now).total == 3  # an answer without a total


@pytest.mark.parametrize(
    ("change", "said"),
    [
        ("registered", "登记"),
        ("updated ['address', 'phone']", "信息修改：'address', 'phone'"),
        ("card 330782-2026-000012 issued", "发放老年证 330782-2026-000012"),
        (
            "died on 2026-11-02, reported by death-registry",
            "2026-11-02 去世（death-registry 报告）",
        ),
    ],
)
def test_intakes_history_lines_are_said_in_chinese(chinese, change, said):
    assert in_language(change) == said


def test_an_answer_is_kept_for_its_token_only_until_it_expires_or_is_written():
    now = [0.0]
    kept = KeptAnswers(clock=lambda: now[0])
    kept.keep("intake", "/district", "token-a", {"communities": [{"code": "c1"}]})

    given = kept.get("intake", "/district", "token-a")
    assert given == {"communities": [{"code": "c1"}]}
    given["communities"].clear()  # what a page does with its copy stays on that page
    assert kept.get("intake", "/district", "token-a") == {"communities": [{"code": "c1"}]}
    assert kept.get("intake", "/district", "token-b") is None

    now[0] = KEPT_SECONDS["intake", "/district"] + 0.1
    assert kept.get("intake", "/district", "token-a") is None

    kept.keep("intake", "/district", "token-a", {"communities": []})
    kept.forget("intake", "/district/communities")
    assert kept.get("intake", "/district", "token-a") is None
