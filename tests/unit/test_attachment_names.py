"""A file's name in its Content-Disposition header: what a caller put into it (a community's
code as it was asked for) cannot break the header or reach another folder."""

from shared.web.files import attachment


def test_a_plain_name_is_kept_and_an_unsafe_one_made_safe():
    assert attachment(b"%PDF-", "pdf", "year-2026-c01").headers["Content-Disposition"] == (
        "attachment; filename=year-2026-c01.pdf"
    )
    unsafe = attachment(b"%PDF-", "pdf", "year-2026-a;b c/../x").headers["Content-Disposition"]
    assert unsafe == "attachment; filename=year-2026-ab_c_.._x.pdf"
    assert attachment(b"PK", "xlsx", "二社区").headers["Content-Disposition"] == (
        "attachment; filename=report.xlsx"
    )
