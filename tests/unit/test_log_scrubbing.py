import io
import json
import logging

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
