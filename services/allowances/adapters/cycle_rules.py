"""The snapshot of the programme configuration each cycle keeps, so that its roll can always
be explained by the rules it was computed with."""

from typing import Any

from services.allowances.domain.programmes import (
    HIGH_AGE,
    CycleRules,
    FestivalCampaign,
    HighAgeProgramme,
    Programme,
    VoucherProgramme,
    campaign_id_of,
)
from shared.documents import from_document, to_document


def rules_snapshot(programme: Programme, stops: str) -> dict[str, Any]:
    return {"config": to_document(programme), "stops": stops}


def rules_of(code: str, snapshot: dict[str, Any]) -> CycleRules:
    kind: type[Programme]
    if campaign_id_of(code) is not None:
        kind = FestivalCampaign
    elif code == HIGH_AGE:
        kind = HighAgeProgramme
    else:
        kind = VoucherProgramme
    return CycleRules(from_document(kind, snapshot["config"]), snapshot["stops"])
