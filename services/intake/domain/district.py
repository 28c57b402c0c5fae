"""The district's own configuration: its communities (and villages) and elder-card categories."""

from dataclasses import dataclass, field

from shared.errors import RuleViolation


@dataclass(frozen=True)
class Community:
    code: str
    name: str
    kind: str = "community"  # community (社区) or village (村)


@dataclass(frozen=True)
class CardCategory:
    """An elder-card (老年证) category, e.g. code "70", name "70+", from age 70."""

    code: str
    name: str
    min_age: int


DEFAULT_CARD_CATEGORIES = (CardCategory("60", "60+", 60), CardCategory("70", "70+", 70))


@dataclass(frozen=True)
class District:
    communities: tuple[Community, ...] = ()
    card_categories: tuple[CardCategory, ...] = field(default=DEFAULT_CARD_CATEGORIES)

    def community(self, code: str) -> Community:
        for community in self.communities:
            if community.code == code:
                return community
        known = ", ".join(c.code for c in self.communities[:10]) or "none configured yet"
        raise RuleViolation(
            f"unknown community {code!r}; the district's communities are: {known}",
            field="community",
        )

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


def check_communities(communities: list[Community]) -> None:
    codes = [c.code for c in communities]
    duplicated = sorted({code for code in codes if codes.count(code) > 1})
    if duplicated:
        raise RuleViolation(f"community codes appear twice: {', '.join(duplicated)}")
