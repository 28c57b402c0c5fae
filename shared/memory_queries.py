"""MongoDB's query semantics for documents in memory, as far as the services use them.

Matching follows MongoDB: a field holding an array matches a condition when the array or any of
its elements does; `None` matches a missing field too; values of different kinds never compare
(an ISO date string is not less than a number). An operator outside this subset raises
`UnknownOperator`, so that a test fails where the fake would answer wrongly.
"""

import re
from collections.abc import Callable, Iterable
from datetime import datetime
from typing import Any

Document = dict[str, Any]
MISSING = object()


class UnknownOperator(ValueError):
    """The query uses an operator the in-memory stores do not implement."""


def matching(documents: Iterable[Document], query: Document) -> list[Document]:
    return [d for d in documents if matches(d, query)]


def matches(document: Document, query: Document) -> bool:
    for key, condition in query.items():
        if key == "$or":
            if not any(matches(document, q) for q in condition):
                return False
        elif key == "$and":
            if not all(matches(document, q) for q in condition):
                return False
        elif key == "$nor":
            if any(matches(document, q) for q in condition):
                return False
        elif key.startswith("$"):
            raise UnknownOperator(key)
        elif not _field_matches(_value_at(document, key), condition):
            return False
    return True


def sorted_by(documents: list[Document], sort: list[tuple[str, int]]) -> list[Document]:
    """Documents in the order of `sort` ((field, 1 or -1), first field first); missing and
    null values come first in ascending order, as in MongoDB."""
    for field, direction in reversed(sort):
        documents = sorted(
            documents, key=lambda d: _sort_key(_value_at(d, field)), reverse=direction < 0
        )
    return documents


def _value_at(document: Any, path: str) -> Any:
    value = document
    for part in path.split("."):
        if isinstance(value, dict):
            value = value.get(part, MISSING)
        elif isinstance(value, list) and part.isdigit():
            value = value[int(part)] if int(part) < len(value) else MISSING
        elif isinstance(value, list):
            found = [v.get(part, MISSING) for v in value if isinstance(v, dict)]
            value = [v for v in found if v is not MISSING] or MISSING
        else:
            return MISSING
    return value


def _field_matches(value: Any, condition: Any) -> bool:
    if isinstance(condition, dict) and condition and all(k.startswith("$") for k in condition):
        return all(_operator(op, value, operand) for op, operand in condition.items())
    return _equals(value, condition)


def _candidates(value: Any) -> list[Any]:
    """The values a condition is tried against: the field's, and each element of an array."""
    return [value, *value] if isinstance(value, list) else [value]


def _equals(value: Any, wanted: Any) -> bool:
    if wanted is None:
        return value is MISSING or any(v is None for v in _candidates(value))
    return any(v == wanted and _same_kind(v, wanted) for v in _candidates(value))


def _compares(test: Callable[[Any, Any], bool]) -> Callable[[Any, Any], bool]:
    def compare(value: Any, operand: Any) -> bool:
        return any(
            v is not MISSING and v is not None and _same_kind(v, operand) and test(v, operand)
            for v in _candidates(value)
        )

    return compare


COMPARISONS: dict[str, Callable[[Any, Any], bool]] = {
    "$gt": _compares(lambda a, b: a > b),
    "$gte": _compares(lambda a, b: a >= b),
    "$lt": _compares(lambda a, b: a < b),
    "$lte": _compares(lambda a, b: a <= b),
}


def _operator(op: str, value: Any, operand: Any) -> bool:
    if op in COMPARISONS:
        return COMPARISONS[op](value, operand)
    if op == "$eq":
        return _equals(value, operand)
    if op == "$ne":
        return not _equals(value, operand)
    if op == "$in":
        return any(_equals(value, wanted) for wanted in operand)
    if op == "$nin":
        return not any(_equals(value, wanted) for wanted in operand)
    if op == "$regex":  # the text searched for, as the servers do (no options)
        return any(isinstance(v, str) and re.search(operand, v) for v in _candidates(value))
    if op == "$exists":
        return (value is not MISSING) == bool(operand)
    if op == "$not":
        return not _field_matches(value, operand)
    raise UnknownOperator(op)


def _same_kind(a: Any, b: Any) -> bool:
    return _kind(a) == _kind(b)


def _kind(value: Any) -> int:
    if value is MISSING or value is None:
        return 0
    if isinstance(value, (bool, int, float)):
        return 1
    if isinstance(value, str):
        return 2
    if isinstance(value, dict):
        return 3
    if isinstance(value, list):
        return 4
    if isinstance(value, datetime):
        return 5
    return 6


def _sort_key(value: Any) -> tuple[int, Any]:
    kind = _kind(value)
    if kind in (0, 3, 4, 6):
        return (kind, str(value) if kind != 0 else "")
    return (kind, value)
