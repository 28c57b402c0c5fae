"""The facts the field uses beside the household: marital status, children, party membership,
service, cadre retirement and where the elder lives. Read from a survey, counted in the
statistics, and shown only to who care for the elder."""

from datetime import date

from services.intake.domain.statistics import district_statistics
from services.intake.entrypoints.survey import registrations
from shared.personal import redacted

ROW = {
    "身份证号": "330281194403070024",
    "姓名": "王秀英",
    "性别": "女",
    "出生日期": "1944-03-07",
    "社区": "c01",
    "地址": "新华路12号",
}


def test_a_survey_row_gives_every_fact_in_the_words_clerks_write():
    row = {**ROW, "婚姻状况": "丧偶", "有无子女": "无", "党员": "是", "退役军人": "否"}
    row |= {"离退休": "离休", "城乡": "村"}
    [(_, registration)] = list(registrations([(2, row)]))
    assert not isinstance(registration, str), registration
    c = registration.circumstances
    assert (c.marital_status, c.has_children, c.party_member, c.veteran) == (
        "widowed",
        False,
        True,
        False,
    )
    assert (c.cadre_retirement, c.settlement) == ("lixiu", "village")


def test_a_fact_not_recorded_stays_unknown_and_a_wrong_word_is_refused():
    [(_, registration)] = list(registrations([(2, ROW)]))
    assert not isinstance(registration, str)
    assert registration.circumstances.party_member is None
    assert registration.circumstances.marital_status == "unknown"
    [(_, refused)] = list(registrations([(3, {**ROW, "城乡": "海上"})]))
    assert isinstance(refused, str) and "settlement" in refused


def test_the_statistics_count_each_fact_with_the_unknown_apart():
    def row(community: str, **facts: object) -> dict:
        return {"community": community, "birth_date": "1944-03-07", "circumstances": facts}

    rows = [
        row("c01", settlement="community", party_member=True, marital_status="widowed"),
        row("c01", settlement="village", party_member=False),
        row("c02", settlement="community", cadre_retirement="tuixiu", veteran=True),
        row("c02"),
    ]
    figures = district_statistics(rows, date(2026, 12, 5))
    facts = figures["district"]["facts"]
    assert facts["settlement"] == {"community": 2, "village": 1, "unknown": 1}
    assert facts["party_member"] == {"yes": 1, "no": 1, "unknown": 2}
    assert facts["veteran"] == {"yes": 1, "no": 0, "unknown": 3}
    assert facts["cadre_retirement"] == {"lixiu": 0, "tuixiu": 1, "unknown": 3}
    assert facts["marital_status"]["widowed"] == 1 and facts["marital_status"]["unknown"] == 3
    [c01, c02] = figures["communities"]
    assert c01["facts"]["settlement"] == {"community": 1, "village": 1, "unknown": 0}
    assert c02["facts"]["veteran"]["yes"] == 1


def test_care_details_are_left_out_for_who_pay_and_kept_for_who_care():
    record = {
        "name": "王秀英",
        "circumstances": {"marital_status": "widowed", "party_member": True, "low_income": True},
    }
    assert redacted(record)["circumstances"] == {"low_income": True}
    assert redacted(record, care=True)["circumstances"]["party_member"] is True
