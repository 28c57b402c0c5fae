"""What visits and allowances know of staff mobile numbers, for the reminders they send by SMS.

A staff account in intake may carry a mobile number; intake announces each change of it
(`staff.contact_changed`, at a contact version raised each time), and each service keeps the
latest per user name. A reminder goes to the numbers of its recipients' accounts; a name
without one falls back on the district's reminder rules (`ReminderRules.phones`), which also
reach people who have no account.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from shared.consumer import Handler
from shared.events import Event
from shared.stores import ProjectionStore

COLLECTION = "staff_contacts"


@dataclass(frozen=True)
class StaffContact:
    username: str
    mobile: str | None
    version: int  # the account's contact version


def contact_handler(contacts: ProjectionStore[StaffContact]) -> Handler:
    def on_contact_changed(event: Event, data: dict[str, Any]) -> bool:
        """Keep the announced number unless a newer one is held (events may come twice)."""
        facts = {"mobile": data["mobile"]}
        return contacts.apply(data["username"], data["contact_version"], event.id, facts)

    return on_contact_changed


def mobiles_of(contacts: ProjectionStore[StaffContact], usernames: Iterable[str]) -> dict[str, str]:
    """The mobile numbers the accounts of these users carry (those that carry one)."""
    wanted = sorted(set(usernames))
    if not wanted:
        return {}
    found = contacts.each({"_id": {"$in": wanted}})
    return {c.username: c.mobile for c in found if c.mobile}
