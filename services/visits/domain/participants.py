"""Who takes part in the community's activities, learning and teams: an elder of the register,
or a volunteer of intake's volunteer register (of any age). An elder who volunteers is one
person, the elder, however they are named: every record keys them the same way (`person`).

Nothing is recorded of a person after the day they died or left the district."""

from dataclasses import dataclass, field, replace
from datetime import date

from services.visits.domain.elder import Elder
from shared.errors import RuleViolation

ELDER, VOLUNTEER = "elder", "volunteer"


@dataclass(frozen=True)
class Volunteer:
    """Visits' copy of a volunteer, from intake's `volunteer.registered`."""

    volunteer_id: str
    name: str
    community: str
    version: int
    elder_id: str | None = None  # also an elder of the register
    skills: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Participant:
    person: str  # "elder:<id>" or "volunteer:<id>": one key per person
    name: str
    community: str
    elder_id: str | None = None
    volunteer_id: str | None = None
    gone_on: date | None = None  # the day they died or left the district
    gone_because: str | None = None  # "died" or "left the district"

    def check_present(self, on: date) -> None:
        """Refused (422): anything of theirs after the day they died or left the district."""
        if self.gone_on is not None and on > self.gone_on:
            raise RuleViolation(
                f"{self.name} {self.gone_because} on {self.gone_on.isoformat()}: nothing is "
                f"recorded for them after that day ({on.isoformat()})",
                field="people",
            )


def person_of_elder(elder_id: str) -> str:
    return f"{ELDER}:{elder_id}"


def elder_participant(elder: Elder) -> Participant:
    if elder.status == "merged":
        raise RuleViolation(
            f"the record of {elder.name} was merged into another: name the elder by that one",
            field="elder_id",
        )
    gone_on, because = (
        (elder.died_on, "died")
        if elder.died_on is not None
        else (elder.moved_out_on, "left the district")
        if elder.status == "moved_out"
        else (None, None)
    )
    return Participant(
        person_of_elder(elder.elder_id),
        elder.name,
        elder.community,
        elder_id=elder.elder_id,
        gone_on=gone_on,
        gone_because=because,
    )


def volunteer_participant(volunteer: Volunteer, elder: Elder | None) -> Participant:
    """The volunteer, or the elder they also are: one person, not two."""
    if elder is not None:
        return replace(elder_participant(elder), volunteer_id=volunteer.volunteer_id)
    return Participant(
        f"{VOLUNTEER}:{volunteer.volunteer_id}",
        volunteer.name,
        volunteer.community,
        volunteer_id=volunteer.volunteer_id,
    )
