"""The elders visits' use cases act for, as visits knows them from intake's events."""

from __future__ import annotations

from typing import Any

from services.visits.domain.elder import Elder
from services.visits.service_layer.container import Visits
from shared.documents import plain
from shared.errors import NotFound, RuleViolation


def known_elder(visits: Visits, elder_id: str) -> Elder:
    elder = visits.elders.get(elder_id)
    if elder is None:
        raise NotFound(f"No elder with id {elder_id!r} is known to visits (yet).", field="elder_id")
    return elder


def active_elder(visits: Visits, elder_id: str) -> Elder:
    """A known elder still served: not deceased, moved out of the district or merged."""
    elder = known_elder(visits, elder_id)
    if elder.status != "active":
        raise RuleViolation(
            f"elder {elder_id} is no longer served (status: {elder.status})", field="elder_id"
        )
    return elder


def with_contacts(visits: Visits, elders: list[Elder]) -> list[dict[str, Any]]:
    """The elders with where to find them: address and phone come on their own topic, and are
    None until they arrive."""
    ids = [elder.elder_id for elder in elders]
    contacts = {c.elder_id: c for c in visits.contacts.each({"_id": {"$in": ids}}, ordered=False)}
    shown = []
    for elder in elders:
        contact = contacts.get(elder.elder_id)
        address, phone = (contact.address, contact.phone) if contact else (None, None)
        shown.append({**plain(elder), "address": address, "phone": phone})
    return shown


def elders_with_contacts(visits: Visits, ids: list[str]) -> list[dict[str, Any]]:
    """The elders of `ids` that visits knows, with where to find them, in no particular order:
    kept until intake's next event about an elder or a contact (`Visits.elders_kept`), so that
    a worklist asked again reads none of them."""
    asked = tuple(sorted(set(ids)))

    def read() -> list[dict[str, Any]]:
        found = visits.elders.each({"_id": {"$in": list(asked)}}, ordered=False) if asked else []
        return with_contacts(visits, list(found))

    return visits.elders_kept.get(asked, read)
