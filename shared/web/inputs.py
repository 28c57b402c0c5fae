"""Defence in depth at the door of every service: no store operators, no oversized numbers.

The marshmallow schemas already refuse an object where a value is expected; this refuses,
before any view runs, a query-string name or a JSON key that MongoDB would read as an operator
or a path: a name starting with `$`, a query name with `$` or brackets (`community[$ne]`), a
JSON key containing `.`. No schema may then let such a key through to a store. An integer in
a JSON body beyond 64 bits (which no store field holds) is refused the same way.
"""

from collections.abc import Iterator
from typing import Any

from flask import Flask, Response, request

from shared.web.problems import problem

INT64 = range(-(2**63), 2**63)


def _too_large(value: Any, where: str = "") -> Iterator[str]:
    """Where in a JSON document an integer is beyond what the store holds (64 bits)."""
    if isinstance(value, dict):
        for key, inner in value.items():
            yield from _too_large(inner, f"{where}/{key}" if where else str(key))
    elif isinstance(value, list):
        for index, inner in enumerate(value):
            yield from _too_large(inner, f"{where}/{index}")
    elif isinstance(value, int) and not isinstance(value, bool) and value not in INT64:
        yield where


def _operator_keys(value: Any, where: str = "") -> Iterator[str]:
    """Where in a JSON document a key could act as an operator or a path, e.g. `a/$gt`."""
    if isinstance(value, dict):
        for key, inner in value.items():
            path = f"{where}/{key}" if where else str(key)
            if is_operator_key(str(key)):
                yield path
            yield from _operator_keys(inner, path)
    elif isinstance(value, list):
        for index, inner in enumerate(value):
            yield from _operator_keys(inner, f"{where}/{index}")


def is_operator_key(key: str) -> bool:
    return key.startswith("$") or "." in key


def refused_names() -> list[str]:
    """The query names and JSON keys of this request that could act as store operators."""
    refused = [name for name in request.args if "$" in name or "[" in name or "]" in name]
    if request.is_json:
        refused.extend(_operator_keys(request.get_json(silent=True)))
    return refused


def register(app: Flask) -> None:
    @app.before_request
    def refuse_operators() -> Response | None:
        refused = refused_names()
        if refused:
            return problem(
                422,
                "Invalid request",
                "Names starting with '$' or containing '.' (or brackets in a query) are refused.",
                errors={name: ["not an accepted name"] for name in refused},
            )
        huge = list(_too_large(request.get_json(silent=True))) if request.is_json else []
        if huge:
            return problem(
                422,
                "Invalid request",
                f"Fields with errors: {', '.join(huge)}",
                errors={name: ["Number out of range."] for name in huge},
            )
        return None
