"""Use cases of the priority service card (老年人优先服务卡): issue, reissue, cancel, each one
change of the elder's record through `change_elder`, like the elder card's."""

from collections.abc import Callable

from services.intake.domain import priority_card as rules
from services.intake.domain.elder import Elder
from services.intake.service_layer.changes import change_elder
from services.intake.service_layer.container import Intake
from shared.audit import Actor

SEQUENCE = "priority-card"


def issue(intake: Intake, elder_id: str, version: int | None, by: Actor) -> Elder:
    return change_elder(
        intake,
        elder_id,
        version,
        by,
        lambda elder, today: rules.issue_priority_card(elder, numbering(intake), today),
    )


def reissue(intake: Intake, elder_id: str, version: int | None, by: Actor, reason: str) -> Elder:
    return change_elder(
        intake,
        elder_id,
        version,
        by,
        lambda elder, today: rules.reissue_priority_card(elder, reason, numbering(intake), today),
    )


def cancel(intake: Intake, elder_id: str, version: int | None, by: Actor, reason: str) -> Elder:
    return change_elder(
        intake,
        elder_id,
        version,
        by,
        lambda elder, _today: rules.cancel_priority_card(elder, reason),
    )


def numbering(intake: Intake) -> Callable[[], str]:
    """Priority card numbers: district, "P" and one sequence (demo-district-P-000042), never
    reused; a change refused after allocation leaves a gap."""

    def next_number() -> str:
        number = intake.card_numbers.next_number(SEQUENCE)
        return f"{intake.settings.district}-P-{number:06d}"

    return next_number
