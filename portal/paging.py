"""Lists a page at a time: the page asked for, and how many there are."""

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

PAGE_SIZE = 50


def requested_page(args: Mapping[str, str]) -> int:
    """The `page` of the address, 1 when it is missing or not a page number."""
    text = (args.get("page") or "1").strip()
    return int(text) if text.isdigit() and 0 < int(text) < 100_000 else 1


@dataclass(frozen=True)
class Pages:
    page: int
    total: int
    size: int = PAGE_SIZE

    @property
    def count(self) -> int:
        return max(1, -(-self.total // self.size))

    @property
    def previous(self) -> int | None:
        return self.page - 1 if self.page > 1 else None

    @property
    def next(self) -> int | None:
        return self.page + 1 if self.page < self.count else None

    @property
    def first_shown(self) -> int:
        return min(self.total, (self.page - 1) * self.size + 1)

    @property
    def last_shown(self) -> int:
        return min(self.total, self.page * self.size)

    @classmethod
    def of(cls, found: Mapping[str, Any]) -> "Pages":
        """The pages of one of the services' list answers."""
        return cls(int(found.get("page", 1)), int(found.get("total", 0)), int(found["page_size"]))
