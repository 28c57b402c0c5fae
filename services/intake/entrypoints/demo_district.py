"""A generated district survey with the shape of the field reports' street: 18,788 elders aged
60+, of whom 603 are 80+, 52 are 90+ and 5 are centenarians; 1,599 empty-nest households (空巢
家庭, a couple of elders each) and 768 living alone (独身家庭); 29 communities. Each household
has an address of its own, which its rows share. Used for demonstrations, tests and
benchmarks."""

import csv
import io
import random
from collections import Counter
from datetime import date, timedelta

from services.intake.domain.age_bands import birth_date_range
from services.intake.domain.national_id import check_character

ELDERS = 18_788
# 60-79 split as the second report's 1,203 : 1,829; 80+ as the first report's figures.
BANDS = {"60-69": 7_215, "70-79": 10_970, "80-89": 551, "90-99": 47, "100+": 5}
HOUSEHOLDS = {"empty_nest": 1_599, "living_alone": 768}  # households
COUPLE = ("empty_nest",)  # the households of two elders; the others have one
COMMUNITIES = 29
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = "秀英桂兰玉珍凤英建国志强明华淑珍国强丽华德福永福金花"
COLUMNS = [
    "national_id",
    "name",
    "sex",
    "birth_date",
    "community",
    "address",
    "phone",
    "household_type",
    "low_income",
    "home_care",
]


def communities() -> list[dict[str, str]]:
    return [
        {"code": f"c{i:02d}", "name": f"第{i}社区", "kind": "community"}
        for i in range(1, COMMUNITIES + 1)
    ]


def survey(today: date, elders: int = ELDERS, seed: int = 60) -> tuple[list[dict], Counter]:
    """Rows of a survey and the counts the statistics must report for them: `expected[band]`,
    `expected[household type]` (elders), `expected["households:<type>"]` and
    `expected["community:<code>"]`."""
    rng = random.Random(seed)
    scale = elders / ELDERS
    counts = {band: round(n * scale) for band, n in BANDS.items()}
    counts["60-69"] += elders - sum(counts.values())
    homes = _households(elders, scale, rng)
    rows: list[dict] = []
    expected: Counter = Counter()
    for band, n in counts.items():
        lower, upper = birth_date_range(band, today)
        lower = lower or upper - timedelta(days=365 * 5)
        for _ in range(n):
            born = lower + timedelta(days=rng.randint(1, (upper - lower).days))
            home, household = homes[len(rows)]
            row = _row(len(rows), home, born, household, rng)
            rows.append(row)
            expected[band] += 1
            expected[household] += 1
            expected[f"community:{row['community']}"] += 1
    for household in dict(homes).values():
        expected[f"households:{household}"] += 1
    return rows, expected


def _households(elders: int, scale: float, rng: random.Random) -> list[tuple[int, str]]:
    """For each row, its household's number and type: couples on adjacent rows."""
    kinds = [kind for kind, n in HOUSEHOLDS.items() for _ in range(round(n * scale))]
    size = sum(2 if kind in COUPLE else 1 for kind in kinds)
    kinds += ["with_family"] * (elders - size)
    rng.shuffle(kinds)
    return [
        (home, kind) for home, kind in enumerate(kinds) for _ in range(2 if kind in COUPLE else 1)
    ]


def _row(index: int, home: int, born: date, household: str, rng: random.Random) -> dict:
    area = f"{330200 + index % 97:06d}"
    first17 = f"{area}{born:%Y%m%d}{index % 1000:03d}"
    return {
        "national_id": first17 + check_character(first17),
        "name": rng.choice(SURNAMES) + rng.choice(GIVEN[::2]) + rng.choice(GIVEN[1::2]),
        "sex": "male" if index % 1000 % 2 else "female",
        "birth_date": born.isoformat(),
        "community": f"c{home % COMMUNITIES + 1:02d}",
        "address": f"{home // 120 + 1}号{home // 20 % 6 + 1}-{home % 20 + 101}",
        "phone": f"13{index:09d}",
        "household_type": household,
        "low_income": "yes" if index % 41 == 0 else "no",
        "home_care": "yes" if index % 97 == 0 else "no",
    }


def as_csv(rows: list[dict]) -> bytes:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS)
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")
