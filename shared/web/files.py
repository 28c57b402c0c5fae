"""Answers that are files: their media types, and their place in the OpenAPI description."""

from typing import Any

from flask_smorest import Blueprint

CSV = "text/csv; charset=utf-8"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PDF = "application/pdf"
BINARY = {"schema": {"type": "string", "format": "binary"}}


def also_as_file(blueprint: Blueprint, *media_types: str, status: int = 200) -> Any:
    """Document that the answer can also come as a file of these types (e.g. `format=xlsx`)."""
    content = {media_type: BINARY for media_type in media_types}
    return blueprint.doc(responses={status: {"content": content}})
