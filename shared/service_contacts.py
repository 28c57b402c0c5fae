"""The district's service contacts, printed at the foot of every form the office prints (五个一):
the service hotline (服务热线) and the service guide handbook (服务指南手册).

The district administrator sets them in intake (`PUT /district/service-contacts`), which keeps
them as a record with its history and announces each change (`district.contacts_changed`);
visits and allowances keep the latest they heard. Until the administrator sets them, every
service prints the deployment's defaults (the settings ELDERCARE_HOTLINE and
ELDERCARE_SERVICE_GUIDE).
"""

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

from shared.config import Settings
from shared.errors import RuleViolation

if TYPE_CHECKING:  # the event's schema (shared.events) takes its rules from here
    from shared.consumer import Handler
    from shared.events import Event
    from shared.stores import ProjectionStore

COLLECTION = "service_contacts"
DISTRICT = "district"  # the id of the one record
HOTLINE_PATTERN = r"^[0-9][0-9-]{2,19}$"  # 12349, 0571-85001234, 400-800-1234
GUIDE_LONGEST = 60  # characters: the handbook's title


@dataclass(frozen=True)
class ServiceContacts:
    contacts_id: str = DISTRICT
    hotline: str = ""  # empty: none printed
    service_guide: str = ""  # the handbook's title, printed in 《》
    version: int = 0  # 0: never set, the deployment's defaults

    def footer_rows(self) -> list[list[object]]:
        """The lines at a form's foot as a workbook's rows (label, value), those set."""
        rows: list[list[object]] = []
        if self.hotline:
            rows.append(["服务热线", self.hotline])
        if self.service_guide:
            rows.append(["服务指南", f"《{self.service_guide}》"])
        return rows


def set_contacts(before: ServiceContacts, hotline: str, service_guide: str) -> ServiceContacts:
    """The contacts as the administrator set them, checked: a hotline of digits (and dashes)
    that can be dialled, a handbook's title that fits on a form."""
    hotline, service_guide = hotline.strip(), service_guide.strip().strip("《》")
    if hotline and not re.match(HOTLINE_PATTERN, hotline):
        raise RuleViolation(
            f"the hotline {hotline!r} is not a number to dial: digits and dashes, 3 to 20 "
            "(12349, 0571-85001234)",
            field="hotline",
        )
    if len(service_guide) > GUIDE_LONGEST:
        raise RuleViolation(
            f"the service guide's title is {len(service_guide)} characters; at most "
            f"{GUIDE_LONGEST} fit on a form",
            field="service_guide",
        )
    return ServiceContacts(DISTRICT, hotline, service_guide, before.version + 1)


def of_settings(settings: Settings) -> ServiceContacts:
    """The deployment's defaults, until the administrator sets the contacts."""
    return ServiceContacts(DISTRICT, settings.hotline, settings.service_guide)


class Held(Protocol):
    """Where a service holds the contacts: intake's record, another service's projection."""

    def get(self, key: str, /) -> ServiceContacts | None: ...


class Printing(Protocol):
    """A service's container: its settings (the defaults) and the contacts it holds."""

    @property
    def settings(self) -> Settings: ...

    @property
    def service_contacts(self) -> Held: ...


def in_force(service: Printing) -> ServiceContacts:
    """What a service prints: the contacts set (or last heard of), else the deployment's
    defaults."""
    return service.service_contacts.get(DISTRICT) or of_settings(service.settings)


def contacts_handler(heard: "ProjectionStore[ServiceContacts]") -> "Handler":
    def on_contacts_changed(event: "Event", data: dict[str, Any]) -> bool:
        """Keep the announced contacts unless newer ones are held (events may come twice)."""
        facts = {"hotline": data["hotline"], "service_guide": data["service_guide"]}
        return heard.apply(DISTRICT, data["version"], event.id, facts)

    return on_contacts_changed
