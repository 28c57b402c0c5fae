import io
import json
import logging

import pytest

from shared.logs import configure_logging


def test_id_and_mobile_numbers_are_masked_in_messages_extras_and_tracebacks():
    configure_logging("test")
    stream = io.StringIO()
    logging.getLogger().handlers[0].stream = stream  # type: ignore[attr-defined]
    log = logging.getLogger("scrub-test")
    log.warning(
        "for %s call 13800138000",
        "11010519440307002X",
        extra={"elder": {"national_id": "110105194403070021", "phones": ["13900139000"]}},
    )
    try:
        raise ValueError('E11000 duplicate key: { national_id: "110105194403070021" }')
    except ValueError:
        log.exception("insert failed")
    text = stream.getvalue()
    for number in ("11010519440307002X", "110105194403070021", "13800138000", "13900139000"):
        assert number not in text
    first, second = (json.loads(line) for line in text.splitlines())
    assert first["message"] == "for 110105********002X call 138****8000"
    assert first["elder"] == {"national_id": "110105********0021", "phones": ["139****9000"]}
    assert "110105********0021" in second["exc_info"]


def test_numbers_in_free_text_are_masked_but_not_other_digits():
    from shared.personal import mask_numbers_in

    text = (
        "national_id: 110105194403070021 and legacy 110105440307002, X-ended 11010519440307002X; "
        "call 13812345678; offset 1234567890123456789 and 2026-11-29 stay"
    )
    assert mask_numbers_in(text) == (
        "national_id: 110105********0021 and legacy 110105********7002, X-ended "
        "110105********002X; call 138****5678; offset 1234567890123456789 and 2026-11-29 stay"
    )


@pytest.mark.parametrize(
    ("logged", "shown"),
    [
        ("+8613812345678", "+86138****5678"),
        ("+86 138 1234 5678", "+86 138****5678"),
        ("+86-138-1234-5678", "+86-138****5678"),
        ("0086 13812345678", "0086 138****5678"),
        ("138 1234 5678", "138****5678"),
        ("138-1234-5678", "138****5678"),
        ("010-87654321", "010****4321"),
        ("0571-87654321", "057****4321"),
        ("(0571) 8765432", "057****5432"),
        ("01087654321", "010****4321"),
        ("110105440307002", "110105********7002"),
        ("11010519440307002X", "110105********002X"),
    ],
)
def test_every_form_of_phone_and_id_number_is_masked_in_log_lines(logged, shown):
    configure_logging("test")
    stream = io.StringIO()
    logging.getLogger().handlers[0].stream = stream  # type: ignore[attr-defined]
    logging.getLogger("scrub-test").warning("call %s now", logged, extra={"contact": logged})
    line = json.loads(stream.getvalue())
    assert (line["message"], line["contact"]) == (f"call {shown} now", shown)


def test_ordinary_numbers_in_log_lines_stay_readable():
    from shared.personal import mask_all_numbers_in

    text = (
        "at 2026-12-04T15:00:42.123+08:00 (1764831642), partition 0 offset 1234567, "
        "amount_fen=-500 of 1000000, event 3f0e2a1b-1234-4abc-9def-013812345678 "
        "and 0123456789ab-0571, month 2026-01, took 0.0571 s"
    )
    assert mask_all_numbers_in(text) == text
