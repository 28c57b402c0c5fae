"""What a form holds between two requests: the values typed and the errors beside each field,
in the order the form shows them (for the error summary at the top of the page)."""

from collections.abc import Mapping

from flask import request
from werkzeug.datastructures import MultiDict

from portal.apis import ApiProblem, today
from portal.messages import in_language


class FormState:
    def __init__(
        self,
        values: MultiDict[str, str] | None = None,
        fields: tuple[str, ...] = (),
        aliases: Mapping[str, str] | None = None,
        labels: Mapping[str, object] | None = None,
        choices: frozenset[str] = frozenset(),
    ) -> None:
        self.values: MultiDict[str, str] = MultiDict(values or {})
        self.fields = fields  # the form's fields, in the order it shows them
        self.errors: dict[str, list[str]] = {}
        self.aliases = dict(aliases or {})  # the API's field name -> the form's
        self.labels = dict(labels or {})  # the form's field name -> its label, lower case
        self.choices = choices  # the fields of options (radios, selects)
        self.general: list[str] = []

    def __getitem__(self, name: str) -> str:
        return self.values.get(name, "").strip()

    def get(self, name: str, default: str = "") -> str:
        return self.values.get(name, default)

    def getlist(self, name: str) -> list[str]:
        return self.values.getlist(name)

    def checked(self, name: str, value: str = "on") -> bool:
        return value in self.values.getlist(name)

    def add_error(self, name: str, message: str) -> None:
        self.errors.setdefault(name, []).append(message)

    def require(self, *names: str) -> bool:
        """Each of `names` left empty is said to be needed, as a service would say it; true when
        all are filled in (so that a message is said the same, whoever finds it missing)."""
        for name in names:
            if not self[name]:
                label = str(self.labels.get(name, name))
                missing = "Missing data for required field."
                self.add_error(name, in_language(missing, label, name in self.choices))
        return not any(self.errors.get(name) for name in names)

    def add_problem(self, problem: ApiProblem) -> None:
        """Each field error beside its field; what names no field of the form, at the top."""
        for api_name, messages in problem.fields.items():
            name = self.aliases.get(api_name, api_name)
            for message in messages:
                if name in self.fields:
                    label = self.labels.get(name)
                    said = in_language(message, str(label) if label else None, name in self.choices)
                    self.add_error(name, said)
                else:
                    self.general.append(in_language(message))
        if not problem.fields:
            self.general.append(in_language(problem.detail))

    def summary(self) -> list[tuple[str, str]]:
        """(field, message) for the error summary, in the form's order."""
        order = {name: n for n, name in enumerate(self.fields)}
        named = sorted(self.errors.items(), key=lambda item: order.get(item[0], len(order)))
        return [(name, message) for name, messages in named for message in messages]

    @property
    def has_errors(self) -> bool:
        return bool(self.errors or self.general)

    def among(self, in_force: MultiDict[str, str], fields: tuple[str, ...]) -> "FormState":
        """This form, one of a page's several, with the others' `fields` as they are in force:
        what was typed into this one and its errors are kept."""
        values = MultiDict(in_force)
        for name in self.fields:
            values.setlist(name, self.getlist(name))
        page = FormState(values, fields, self.aliases, self.labels, self.choices)
        page.errors, page.general = self.errors, self.general
        return page


def whole_number(typed: str) -> int | str:
    """A whole number as typed, or the text itself, for the service to name what is wrong."""
    return int(typed) if typed.isdigit() else typed


def year_asked() -> int:
    """The year a page of the year's work (plan, scorecard, budget) is asked for, in its query
    or its form; this year if none."""
    return request.values.get("year", type=int) or today().year
