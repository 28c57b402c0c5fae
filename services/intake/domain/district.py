"""The district's own configuration: its communities (and villages) and elder-card categories."""

from dataclasses import dataclass, field, replace
from typing import Any

from shared.errors import RuleViolation


@dataclass(frozen=True)
class Community:
    code: str
    name: str
    kind: str = "community"  # community (社区) or village (村)
    former_names: tuple[str, ...] = ()  # names it had before a rename, still understood


@dataclass(frozen=True)
class RetiredCommunity:
    """A community merged into another (撤并): its code and name now mean its successor."""

    code: str
    name: str
    successor: str
    reorganisation_id: str


@dataclass(frozen=True)
class CardCategory:
    """An elder-card (老年证) category, e.g. code "70", name "70+", from age 70."""

    code: str
    name: str
    min_age: int


# What clerks add to a community's name or leave off ("金东" or "金东社区居委会" for 金东社区),
# and the kind of place each word says: a community's residents' committee, or a village's.
NAME_SUFFIXES = (
    ("社区居民委员会", "community"),
    ("社区居委会", "community"),
    ("居民委员会", "community"),
    ("居委会", "community"),
    ("社区", "community"),
    ("村民委员会", "village"),
    ("村委会", "village"),
    ("村", "village"),
)
LISTED = 10  # communities named in a message about an unknown one

DEFAULT_CARD_CATEGORIES = (CardCategory("60", "60+", 60), CardCategory("70", "70+", 70))


@dataclass(frozen=True)
class District:
    communities: tuple[Community, ...] = ()
    card_categories: tuple[CardCategory, ...] = field(default=DEFAULT_CARD_CATEGORIES)
    retired: tuple[RetiredCommunity, ...] = ()
    version: int = 0  # 0 until first saved; each change adds one (`changed`)

    def known(self, code: str) -> Community | None:
        """The community of this code, if the district has it (none: unknown or retired)."""
        return next((c for c in self.communities if c.code == code), None)

    def community(self, code: str) -> Community:
        found = self.known(code)
        if found is not None:
            return found
        gone = self.retired_as(code)
        if gone is not None:
            raise RuleViolation(
                f"community {code!r} ({gone.name}) was merged into {gone.successor}; "
                f"use {gone.successor}",
                field="community",
            )
        known = ", ".join(c.code for c in self.communities[:10]) or "none configured yet"
        raise RuleViolation(
            f"unknown community {code!r}; the district's communities are: {known}",
            field="community",
        )

    def resolve_community(self, written: str) -> Community:
        """The community a clerk means: by its code, its name, or its name without the
        社区/村 (or 居委会) that clerks often leave off or add."""
        text = "".join(written.split())  # spaces, full-width ones too
        successor = self._successor_of(text)
        if successor is not None:
            return successor
        by_code = [c for c in self.communities if c.code.casefold() == text.casefold()]
        by_name = [c for c in self.communities if text in (c.name, *c.former_names)]
        by_short = [
            c
            for c in self.communities
            if any(_same_place(_name_parts(text), n) for n in (c.name, *c.former_names))
        ]
        matches = by_code or by_name or by_short
        if len(matches) == 1:
            return matches[0]
        if matches:
            named = "、".join(f"{c.name} ({c.code})" for c in matches)
            raise RuleViolation(
                f"community {written!r} could be any of {named}; write its full name or its code",
                field="community",
            )
        known = ", ".join(f"{c.code} {c.name}" for c in self.communities[:LISTED])
        more = (
            f" and {len(self.communities) - LISTED} more" if len(self.communities) > LISTED else ""
        )
        raise RuleViolation(
            f"unknown community {written!r}: it is neither the code nor the name of one of the "
            f"district's communities ({known or 'none configured yet'}{more})",
            field="community",
        )

    def retired_as(self, code: str) -> RetiredCommunity | None:
        return next((r for r in self.retired if r.code == code), None)

    def _successor_of(self, text: str) -> Community | None:
        """The community that a merged one (named by its code or name) now is part of."""
        seen: set[str] = set()
        gone = next((r for r in self.retired if _names(text, r.code, (r.name,))), None)
        while gone is not None and gone.code not in seen:
            seen.add(gone.code)
            current = self.known(gone.successor)
            if current is not None:
                return current
            gone = self.retired_as(gone.successor)
        return None

    def card_upgrade(self, held: str, age: int, code: str | None = None) -> CardCategory:
        """The category that replaces a card of category `held`: the one named, or the highest
        the age allows; either way one starting at a higher age than the card held."""
        chosen = self.card_category(code, age)
        current = self._held_category(held)
        if chosen.min_age > current.min_age:
            return chosen
        if code is not None:
            raise RuleViolation(
                f"card category {chosen.name} is not above the {current.name} card the elder holds",
                field="category",
            )
        higher = [c for c in self.card_categories if c.min_age > current.min_age]
        following = min(higher, key=lambda c: c.min_age, default=None)
        later = f"; {following.name} starts at age {following.min_age}" if following else ""
        raise RuleViolation(
            f"the elder ({age}) holds a {current.name} card, the highest category the age "
            f"allows{later}",
            field="category",
        )

    def card_upgrade_due(self, held: str, age: int) -> CardCategory | None:
        """The highest category the age allows, if it is above the card held."""
        qualifying = [c for c in self.card_categories if age >= c.min_age]
        best = max(qualifying, key=lambda c: c.min_age, default=None)
        current = self._held_category(held)
        return best if best and best.min_age > current.min_age else None

    def card_upgrade_ages(self) -> dict[str, int]:
        """For each category, the age from which its holders are due a higher one (none for
        the highest)."""
        return {
            held.code: min(higher)
            for held in self.card_categories
            if (higher := [c.min_age for c in self.card_categories if c.min_age > held.min_age])
        }

    def _held_category(self, code: str) -> CardCategory:
        """The category of a card held; one no longer configured counts as the lowest."""
        known = next((c for c in self.card_categories if c.code == code), None)
        return known or CardCategory(code, code, 0)

    def card_category(self, code: str | None, age: int) -> CardCategory:
        """The named category, or the highest one the age qualifies for."""
        if code is not None:
            category = next((c for c in self.card_categories if c.code == code), None)
            if category is None:
                raise RuleViolation(f"unknown card category {code!r}", field="category")
            if age < category.min_age:
                raise RuleViolation(
                    f"card category {category.name} starts at age {category.min_age}; "
                    f"the elder is {age}",
                    field="category",
                )
            return category
        qualifying = [c for c in self.card_categories if age >= c.min_age]
        if not qualifying:
            raise RuleViolation(f"no card category for age {age}", field="category")
        return max(qualifying, key=lambda c: c.min_age)


def _name_parts(name: str) -> tuple[str, str | None]:
    """The name without the word that says what kind of place it is, and that kind."""
    for suffix, kind in NAME_SUFFIXES:
        if name.endswith(suffix) and len(name) > len(suffix):
            return name[: -len(suffix)], kind
    return name, None


def _names(text: str, code: str, names: tuple[str, ...]) -> bool:
    """Whether a clerk's text names this place: its code, a name, or a name shortened."""
    if text.casefold() == code.casefold() or text in names:
        return True
    return any(_same_place(_name_parts(text), name) for name in names)


def _same_place(written: tuple[str, str | None], name: str) -> bool:
    """金东 or 金东居委会 is 金东社区, but 金东村 is not: a kind, when both say one, must agree."""
    short, kind = _name_parts(name)
    return written[0] == short and (None in (written[1], kind) or written[1] == kind)


def changed(district: District, **fields: Any) -> District:
    """The district with these fields replaced, at its next version."""
    return replace(district, **fields, version=district.version + 1)


def check_communities(communities: list[Community]) -> None:
    codes = [c.code for c in communities]
    duplicated = sorted({code for code in codes if codes.count(code) > 1})
    if duplicated:
        raise RuleViolation(f"community codes appear twice: {', '.join(duplicated)}")
