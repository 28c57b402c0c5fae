"""Dataclasses to MongoDB documents and back, the one way every store does it.

Dates become ISO strings (`YYYY-MM-DD`, which sort correctly); instants stay BSON dates; tuples
become arrays; nested dataclasses become sub-documents. Reading back follows the type hints.
"""

import dataclasses
import types
import typing
from collections.abc import Callable
from datetime import date, datetime
from functools import cache
from typing import Any, TypeVar

T = TypeVar("T")


PLAIN = (str, int, float, type(None))  # stored as they are (bool is an int)


def to_document(value: Any) -> Any:
    if isinstance(value, PLAIN):
        return value
    # classes are hashable; mypy wrongly checks type[...] against Hashable with the
    # instance's __hash__
    names = _field_names(type(value))  # type: ignore[arg-type]
    if names is not None:
        return {name: to_document(getattr(value, name)) for name in names}
    if isinstance(value, datetime):
        return value
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return [to_document(v) for v in value]
    if isinstance(value, dict):
        return {k: to_document(v) for k, v in value.items()}
    return value


def plain(value: Any) -> Any:
    """A dataclass as dicts, lists and tuples of its values, as `dataclasses.asdict` gives it,
    without its deep copy of every value (which took a third of an elder list's answer)."""
    if isinstance(value, PLAIN):
        return value
    names = _field_names(type(value))  # type: ignore[arg-type]  # as in to_document
    if names is not None:
        return {name: plain(getattr(value, name)) for name in names}
    if isinstance(value, (list, tuple)):
        return type(value)(plain(v) for v in value)
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    return value


def from_document(kind: type[T], document: dict[str, Any]) -> T:
    """Build `kind` from a document; keys that are not fields of it are ignored."""
    values = {}
    for name, read in _readers(kind):  # type: ignore[arg-type]  # as above: a class is hashable
        if name in document:
            value = document[name]
            values[name] = None if value is None else read(value)
    return kind(**values)


@cache
def _field_names(kind: type) -> tuple[str, ...] | None:
    """The field names of a dataclass, or None for any other type."""
    if not dataclasses.is_dataclass(kind):
        return None
    return tuple(f.name for f in dataclasses.fields(kind))


@cache
def _hints(kind: type) -> dict[str, Any]:
    names = {f.name for f in dataclasses.fields(kind)}
    return {k: v for k, v in typing.get_type_hints(kind).items() if k in names}


@cache
def _readers(kind: type) -> tuple[tuple[str, Callable[[Any], Any]], ...]:
    """How to read each field of `kind` from a stored value that is not None, worked out once
    per type from its hints."""
    return tuple((name, _reader(hint)) for name, hint in _hints(kind).items())


def _reader(hint: Any) -> Callable[[Any], Any]:
    origin = typing.get_origin(hint)
    if origin in (typing.Union, types.UnionType):
        options = [a for a in typing.get_args(hint) if a is not type(None)]
        return _reader(options[0]) if len(options) == 1 else _same
    if origin in (tuple, list):
        item = _reader(typing.get_args(hint)[0])
        return lambda values: origin(None if v is None else item(v) for v in values)
    if hint is date:
        return date.fromisoformat
    if dataclasses.is_dataclass(hint):
        return lambda value: from_document(hint, value)  # type: ignore[arg-type]
    return _same


def _same(value: Any) -> Any:
    return value
