"""Structured logs: one JSON object a line, with the service's name on every record, and no
national ID number, mobile number or account number in any of them (`scrub`)."""

import logging
import os
from typing import Any

from pythonjsonlogger.json import JsonFormatter

from shared.personal import mask_all_numbers_in as mask

# The attributes every LogRecord has; anything else on a record came in as an `extra`.
STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {"message", "asctime"}


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
