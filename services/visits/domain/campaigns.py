"""Campaigns of visits to every elder of a target group. Launching a campaign opens one
obligation per elder of the group; the visit that meets it records what the campaign is for:

- a festival campaign (节日走访慰问): before a festival such as the Double Ninth (重阳节) or
  the Spring Festival, each elder is visited and given a gift, which the visit records;
- a door-to-door check (入户走访，核对信息): each elder's facts are checked at the door; the
  visit records what was found wrong (`visit_records.DoorCheck`), and intake corrects the
  record and notes when it was last checked, and by whom.
"""

from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from services.visits.domain.calendar import end_of_day
from services.visits.domain.elder import Elder
from services.visits.domain.obligations import Obligation
from shared.ages import age_on
from shared.errors import RuleViolation
from shared.vocabulary import HOUSEHOLD_TYPES


@dataclass(frozen=True)
class Target:
    """Who is visited: every condition set must hold; an empty target means every elder."""

    communities: tuple[str, ...] = ()
    min_age: int | None = None
    household_types: tuple[str, ...] = ()
    low_income: bool = False
    disabled: bool = False
    home_care: bool = False
    key_targets: bool = False  # on the key service target list (重点服务对象)

    def matches(self, elder: Elder, today: date) -> bool:
        return (
            elder.status == "active"
            and (not self.communities or elder.community in self.communities)
            and (self.min_age is None or age_on(elder.birth_date, today) >= self.min_age)
            and (not self.household_types or elder.household_type in self.household_types)
            and (not self.low_income or elder.low_income)
            and (not self.disabled or elder.disabled)
            and (not self.home_care or elder.home_care)
            and (not self.key_targets or bool(elder.key_target_reasons))
        )


FESTIVAL, DOOR_CHECK = "festival", "door_check"  # what a campaign is for (and its visits' kind)
PURPOSES = (FESTIVAL, DOOR_CHECK)


@dataclass(frozen=True)
class Campaign:
    campaign_id: str
    name: str
    festival: str  # e.g. double_ninth, spring_festival; "" for a door-to-door check
    target: Target
    gift: str  # what each elder is to be given; "" for a door-to-door check
    due_on: date  # visits are due by the end of this day
    created_by: str
    created_at: datetime
    gift_value_fen: int | None = None
    launched_at: datetime | None = None
    purpose: str = FESTIVAL
    version: int = 1


def plan(
    campaign_id: str,
    name: str,
    festival: str,
    target: Target,
    gift: str,
    due_on: date,
    created_by: str,
    now: datetime,
    today: date,
    gift_value_fen: int | None = None,
    purpose: str = FESTIVAL,
) -> Campaign:
    if purpose not in PURPOSES:
        raise RuleViolation(f"a campaign is for one of {', '.join(PURPOSES)}", field="purpose")
    if not name.strip():
        raise RuleViolation("name the campaign", field="name")
    if purpose == FESTIVAL and not gift.strip():
        raise RuleViolation("say what gift is given", field="gift")
    if purpose == FESTIVAL and not festival.strip():
        raise RuleViolation("name the festival", field="festival")
    if due_on < today:
        raise RuleViolation("due_on has passed", field="due_on")
    if gift_value_fen is not None and gift_value_fen < 0:
        raise RuleViolation("a gift's value is not negative", field="gift_value_fen")
    unknown = set(target.household_types) - set(HOUSEHOLD_TYPES)
    if unknown:
        raise RuleViolation(f"unknown household types: {sorted(unknown)}", field="target")
    return Campaign(
        campaign_id,
        name.strip(),
        festival,
        target,
        gift.strip(),
        due_on,
        created_by,
        now,
        gift_value_fen,
        purpose=purpose,
    )


def check_launchable(campaign: Campaign, today: date) -> None:
    if campaign.due_on < today:
        raise RuleViolation(
            f"the campaign was due on {campaign.due_on}; it can no longer be launched"
        )


def campaign_visit(
    campaign: Campaign, elder: Elder, zone: ZoneInfo, assignee: str | None, now: datetime
) -> Obligation:
    return Obligation(
        obligation_id=f"campaign:{campaign.campaign_id}:{elder.elder_id}",
        elder_id=elder.elder_id,
        community=elder.community,
        kind=campaign.purpose,
        source=f"campaign:{campaign.campaign_id}",
        opens_at=campaign.created_at,
        due_at=end_of_day(campaign.due_on, zone),
        created_at=now,
        assignee=assignee,
        note=campaign.name,
    )
