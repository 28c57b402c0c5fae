"""Structured logs: one JSON object a line, with the service's name on every record, and no
national ID number, mobile number or account number in any of them (`scrub`)."""

import logging
import os
import re
from typing import Any

from pythonjsonlogger.json import JsonFormatter

NATIONAL_ID = re.compile(r"(?<![0-9A-Za-z])(\d{6})\d{8}(\d{3}[\dXx])(?![0-9A-Za-z])")
MOBILE = re.compile(r"(?<!\d)(1[3-9]\d)\d{4}(\d{4})(?!\d)")
# a bank or social-security card account: a run of 12 to 30 digits
ACCOUNT = re.compile(r"(?<![0-9A-Za-z*])(\d{4})\d{4,22}(\d{4})(?![0-9A-Za-z])")
# The attributes every LogRecord has; anything else on a record came in as an `extra`.
STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {"message", "asctime"}


def mask(text: str) -> str:
    """Text with every ID number, mobile number and account number in it masked
    (110105********0021, 138****8000, 6222********0123)."""
    masked = MOBILE.sub(r"\1****\2", NATIONAL_ID.sub(r"\1********\2", text))
    return ACCOUNT.sub(r"\1********\2", masked)


def _scrubbed(value: Any) -> Any:
    if isinstance(value, str):
        return mask(value)
    if isinstance(value, dict):
        return {_scrubbed(k): _scrubbed(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set):
        return type(value)(_scrubbed(v) for v in value)
    if isinstance(value, int) and not isinstance(value, bool) and len(str(value)) >= 11:
        return _scrubbed(str(value))
    if isinstance(value, BaseException):
        return mask(str(value))
    return value


class Scrub(logging.Filter):
    """Masks personal numbers in the message, its arguments, every extra and any traceback."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = mask(record.getMessage())
        record.args = None
        for name, value in list(vars(record).items()):
            if name not in STANDARD:
                setattr(record, name, _scrubbed(value))
        if record.exc_info:
            formatter = logging.Formatter()
            record.exc_text = mask(formatter.formatException(record.exc_info))
            record.exc_info = None
        if record.stack_info:
            record.stack_info = mask(record.stack_info)
        return True


def configure_logging(service: str) -> None:
    handler = logging.StreamHandler()
    handler.setFormatter(
        JsonFormatter(
            "%(asctime)s %(levelname)s %(name)s %(message)s",
            rename_fields={"asctime": "time", "levelname": "level", "name": "logger"},
            static_fields={"service": service},
        )
    )
    handler.addFilter(Scrub())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(os.environ.get("LOG_LEVEL", "INFO").upper())
    logging.getLogger("kafka").setLevel(logging.WARNING)
