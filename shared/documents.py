"""Dataclasses to MongoDB documents and back, the one way every store does it.

Dates become ISO strings (`YYYY-MM-DD`, which sort correctly); instants stay BSON dates; tuples
become arrays; nested dataclasses become sub-documents. Reading back follows the type hints.
"""

import dataclasses
import types
import typing
from datetime import date, datetime
from functools import cache
from typing import Any, TypeVar

T = TypeVar("T")


def to_document(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: to_document(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, datetime):
        return value
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return [to_document(v) for v in value]
    if isinstance(value, dict):
        return {k: to_document(v) for k, v in value.items()}
    return value


def from_document(kind: type[T], document: dict[str, Any]) -> T:
    """Build `kind` from a document; keys that are not fields of it are ignored."""
    hints = _hints(kind)
    values = {name: _read(hints[name], document[name]) for name in hints if name in document}
    return kind(**values)


@cache
def _hints(kind: type) -> dict[str, Any]:
    names = {f.name for f in dataclasses.fields(kind)}  # type: ignore[arg-type]
    return {k: v for k, v in typing.get_type_hints(kind).items() if k in names}


def _read(hint: Any, value: Any) -> Any:
    if value is None:
        return None
    origin = typing.get_origin(hint)
    if origin in (typing.Union, types.UnionType):
        options = [a for a in typing.get_args(hint) if a is not type(None)]
        return _read(options[0], value) if len(options) == 1 else value
    if origin is tuple:
        return tuple(_read(typing.get_args(hint)[0], v) for v in value)
    if origin is list:
        return [_read(typing.get_args(hint)[0], v) for v in value]
    if hint is date:
        return date.fromisoformat(value)
    if dataclasses.is_dataclass(hint):
        return from_document(hint, value)  # type: ignore[arg-type]
    return value
