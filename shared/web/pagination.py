"""Page-based list arguments and envelopes, the same for every list endpoint."""

from typing import Any

from marshmallow import Schema, fields, validate

MAX_PAGE_SIZE = 100
MAX_PAGE = 100_000  # far past any list's end; keeps the store's skip a 64-bit integer


class PageArgs(Schema):
    page = fields.Integer(load_default=1, validate=validate.Range(min=1, max=MAX_PAGE))
    page_size = fields.Integer(load_default=20, validate=validate.Range(min=1, max=MAX_PAGE_SIZE))


def page_of(items: list, total: int, page: int, page_size: int) -> dict:
    return {"items": items, "total": total, "page": page, "page_size": page_size}


def paged(args: dict[str, Any]) -> tuple[int, int]:
    """(skip, limit) of the page the list arguments ask for."""
    return (args["page"] - 1) * args["page_size"], args["page_size"]


def page(args: dict[str, Any], items: list, total: int) -> dict[str, Any]:
    """The page the list arguments asked for, holding `items` of `total`."""
    return page_of(items, total, args["page"], args["page_size"])


def page_schema(item: type[Schema]) -> type[Schema]:
    """A response schema for one page of `item`."""
    return Schema.from_dict(
        {
            "items": fields.List(fields.Nested(item)),
            "total": fields.Integer(),
            "page": fields.Integer(),
            "page_size": fields.Integer(),
        },
        name=f"{item.__name__.removesuffix('Schema')}Page",
    )
