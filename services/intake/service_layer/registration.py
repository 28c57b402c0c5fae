"""Use cases: register an elder or a volunteer, and announce it."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from typing import Any

from services.intake.domain.district import Community
from services.intake.domain.elder import (
    Elder,
    RegisterIndex,
    Registration,
    register,
    settled_in,
)
from services.intake.domain.household import Newcomer
from services.intake.domain.volunteer import Volunteer, enrol
from services.intake.service_layer import households
from services.intake.service_layer.announcements import contact_changed, elder_event
from services.intake.service_layer.container import Intake
from services.intake.service_layer.households import Grouping, place
from shared.audit import Actor, history_line
from shared.clock import local_today
from shared.errors import DomainError
from shared.events import announce


def register_elder(intake: Intake, registration: Registration, by: Actor) -> Elder:
    """Register an elder; a same-name, same-birth-date elder of the community is flagged as a
    possible duplicate for staff to resolve, and the registration still goes through. The
    elder is written already of the type of the household they come to live in."""
    now = intake.clock.now()
    today = local_today(intake.clock, intake.settings.zone)
    intake.district.get().community(registration.community)
    elder = register(registration, str(uuid.uuid4()), now, today)
    lookalikes = intake.elders.lookalikes(elder)
    if lookalikes:
        elder = replace(elder, possible_duplicates=lookalikes)
    newcomer = Newcomer(elder, registration.household_number, building=registration.building)
    home = households.arrange(intake, [newcomer], by, "at registration")
    elder = settled_in(elder, home.terms_of(elder.elder_id), today)
    registered = elder_event(
        intake, "elder.registered", elder, now, registered_at=elder.registered_at
    )
    contact = contact_changed(intake, None, elder, now)
    intake.elders.add(
        elder, history_line(now, by, "registered", elder.version), registered, *contact
    )
    households.settle(intake, home, {elder.elder_id: elder})
    return elder


def register_volunteer(
    intake: Intake,
    name: str,
    community: str,
    phone: str | None,
    skills: list[str],
    national_id: str | None = None,
    elder_id: str | None = None,
) -> Volunteer:
    now = intake.clock.now()
    intake.district.get().community(community)
    if elder_id is not None:
        intake.elders.get(elder_id)  # raises NotFound for an unknown elder
    volunteer = enrol(str(uuid.uuid4()), name, community, phone, skills, now, national_id, elder_id)
    announced = announce(
        intake,
        "volunteer.registered",
        volunteer.volunteer_id,
        {
            "volunteer_id": volunteer.volunteer_id,
            "version": volunteer.version,
            "name": volunteer.name,
            "community": volunteer.community,
            "skills": list(volunteer.skills),
            "elder_id": volunteer.elder_id,
        },
        now,
    )
    intake.volunteers.add(volunteer, announced)
    return volunteer


@dataclass
class ImportReport:
    """What happened to every row of a survey file: imported, unchanged or rejected."""

    rows: int = 0
    imported: int = 0
    unchanged: int = 0
    possible_duplicates: int = 0
    rejected: list[dict[str, Any]] = field(default_factory=list)
    households: Grouping = field(default_factory=Grouping)
    newcomers: list[Newcomer] = field(default_factory=list)  # to place once all rows are in

    def reject(self, row: int, reason: str) -> None:
        self.rejected.append({"row": row, "reason": reason})


def register_many(
    intake: Intake,
    rows: Iterable[tuple[int, Registration | str]],
    by: Actor,
    report: ImportReport | None = None,
    batch_size: int = 500,
) -> ImportReport:
    """Register a survey: each row is a Registration or the reason it could not be read.

    An ID number already in the register leaves that record unchanged, so importing the same
    file again changes nothing. The register is read once, up front, to check every row.
    """
    report = report or ImportReport()
    index = intake.elders.index()
    batch: list[tuple[int, Registration | str]] = []
    for numbered in rows:
        batch.append(numbered)
        if len(batch) == batch_size:
            _register_batch(intake, batch, by, report, index)
            batch = []
    _register_batch(intake, batch, by, report, index)
    report.households = place(intake, report.newcomers, by, "in the survey")
    report.newcomers = []
    return report


def _register_batch(
    intake: Intake,
    batch: list[tuple[int, Registration | str]],
    by: Actor,
    report: ImportReport,
    index: RegisterIndex,
) -> None:
    now = intake.clock.now()
    today = local_today(intake.clock, intake.settings.zone)
    district = intake.district.get()
    report.rows += len(batch)
    new: list[tuple[Elder, dict[str, Any], list[Any]]] = []
    newcomers: list[Newcomer] = []
    communities: dict[str, Community] = {}  # a survey spells its few communities many times
    for number, registration in batch:
        if isinstance(registration, str):
            report.reject(number, registration)
            continue
        try:
            written = registration.community
            if written not in communities:
                communities[written] = district.resolve_community(written)
            community = communities[written]
            registration = replace(registration, community=community.code)
            elder = register(registration, str(uuid.uuid4()), now, today)
        except DomainError as error:
            report.reject(number, error.detail)
            continue
        if elder.national_id in index.rows:
            report.reject(number, f"the same ID number is on row {index.rows[elder.national_id]}")
            continue
        index.rows[elder.national_id] = number
        if elder.national_id in index.national_ids:
            report.unchanged += 1
            continue
        lookalikes = index.lookalikes_of(elder)
        if lookalikes:
            elder = replace(elder, possible_duplicates=lookalikes)
            report.possible_duplicates += 1
        index.add(elder)
        event = elder_event(
            intake, "elder.registered", elder, now, registered_at=elder.registered_at
        )
        contact = contact_changed(intake, None, elder, now)
        new.append((elder, history_line(now, by, "registered by import", 1), [event, *contact]))
        newcomers.append(
            Newcomer(elder, registration.household_number, number, registration.building)
        )
    already = intake.elders.add_many(new)  # registered meanwhile by someone else
    report.newcomers += [n for n in newcomers if n.elder.elder_id not in already]
    report.unchanged += len(already)
    report.imported += len(new) - len(already)
