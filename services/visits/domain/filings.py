"""The monthly cycles the district handed in (发放名册及月报表, due on the report day, the 25th
by default), as allowances announces them approved: the high-age allowance's and the home-care
vouchers', each with whether its report was submitted after the due day. Visits keeps them
for the yearly evaluation, which counts the reports filed on time."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Filing:
    cycle_id: str  # <programme>:<month>
    programme: str
    month: str  # YYYY-MM
    late: bool  # submitted for approval after the report day
    approved_by: str
