"""Use case: register an elder and announce it."""

import uuid

from services.intake.bootstrap import Intake
from services.intake.domain.elder import Elder, Registration, register
from services.intake.service_layer.announcements import announce
from shared.clock import local_today


def register_elder(intake: Intake, registration: Registration) -> Elder:
    now = intake.clock.now()
    today = local_today(intake.clock, intake.settings.zone)
    elder = register(registration, str(uuid.uuid4()), now, today)
    registered = announce(
        intake.settings, "elder.registered", elder, now, registered_at=elder.registered_at
    )
    intake.elders.add(elder, registered)
    return elder
