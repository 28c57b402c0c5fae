"""Use case: register an elder and announce it."""

import uuid

from services.intake.bootstrap import Intake
from services.intake.domain.elder import Elder, Registration, register
from shared.clock import local_today
from shared.events import new_event


def register_elder(intake: Intake, registration: Registration) -> Elder:
    now = intake.clock.now()
    elder = register(
        registration, str(uuid.uuid4()), now, local_today(intake.clock, intake.settings.zone)
    )
    announced = new_event(
        "elder.registered",
        elder.elder_id,
        {
            "elder_id": elder.elder_id,
            "version": elder.version,
            "name": elder.name,
            "sex": elder.sex,
            "birth_date": elder.birth_date,
            "community": elder.community,
            "address": elder.address,
            "phone": elder.phone,
            "registered_at": elder.registered_at,
        },
        source=intake.settings.event_source,
        district=intake.settings.district,
        at=now,
    )
    intake.elders.add(elder, announced)
    return elder
