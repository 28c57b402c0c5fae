"""List arguments and envelopes, the same for every list endpoint: pages by number, and for
the lists that have them, pages by cursor (keyset paging: the page after or before a key of
the list's indexed order, which costs the page whatever its depth, where a page number makes
the store skip every entry before it)."""

import base64
import binascii
from typing import Any

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

MAX_PAGE_SIZE = 100
MAX_PAGE = 100_000  # far past any list's end; keeps the store's skip a 64-bit integer


class PageArgs(Schema):
    page = fields.Integer(load_default=1, validate=validate.Range(min=1, max=MAX_PAGE))
    page_size = fields.Integer(load_default=20, validate=validate.Range(min=1, max=MAX_PAGE_SIZE))


class Cursor(fields.String):
    """An opaque position in a list (it encodes the key of an entry)."""

    def _serialize(self, value: Any, attr: str | None, obj: Any, **kwargs: Any) -> str | None:
        return None if value is None else cursor_of(value)

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> str:
        text = super()._deserialize(value, attr, data, **kwargs)
        try:
            padded = text + "=" * (-len(text) % 4)
            key = base64.b64decode(padded, altchars=b"-_", validate=True).decode()
        except (binascii.Error, UnicodeDecodeError, ValueError):
            key = ""
        if not key:
            raise ValidationError("not a cursor of this list")
        return key


def cursor_of(key: str) -> str:
    return base64.urlsafe_b64encode(key.encode()).decode().rstrip("=")


class KeysetArgs(PageArgs):
    after = Cursor(
        metadata={"description": "the page after this cursor (a page's `next`): fast at any depth"}
    )
    before = Cursor(metadata={"description": "the page before this cursor (a page's `previous`)"})

    @validates_schema
    def one_way(self, data: dict[str, Any], **_: Any) -> None:
        if "after" in data and "before" in data:
            raise ValidationError("give after or before, not both", "before")


def page_of(items: list, total: int, page: int, page_size: int) -> dict:
    return {"items": items, "total": total, "page": page, "page_size": page_size}


def paged(args: dict[str, Any]) -> tuple[int, int]:
    """(skip, limit) of the page the list arguments ask for."""
    return (args["page"] - 1) * args["page_size"], args["page_size"]


def page(args: dict[str, Any], items: list, total: int) -> dict[str, Any]:
    """The page the list arguments asked for, holding `items` of `total`."""
    return page_of(items, total, args["page"], args["page_size"])


def keyset_page(
    args: dict[str, Any], items: list, total: int, previous: str | None, following: str | None
) -> dict[str, Any]:
    """A page of a list paged by cursor: `previous` and `next` are the keys of the first and
    last entries shown, when there are entries before or after them."""
    return {**page(args, items, total), "previous": previous, "next": following}


def page_schema(item: type[Schema], keyset: bool = False) -> type[Schema]:
    """A response schema for one page of `item` (with the cursors of the pages beside it)."""
    cursors = {
        "previous": Cursor(
            allow_none=True,
            metadata={"description": "pass as `before` for the page before; null on the first"},
        ),
        "next": Cursor(
            allow_none=True,
            metadata={"description": "pass as `after` for the page after; null on the last"},
        ),
    }
    return Schema.from_dict(
        {
            "items": fields.List(fields.Nested(item)),
            "total": fields.Integer(),
            "page": fields.Integer(),
            "page_size": fields.Integer(),
            **(cursors if keyset else {}),
        },
        name=f"{item.__name__.removesuffix('Schema')}Page",
    )
