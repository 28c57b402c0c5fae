"""A whole generated district, with the field reports' figures, imported and counted back."""

import time
from datetime import UTC, datetime

from staff import add_staff, staff_headers

from services.intake.bootstrap import bootstrap
from services.intake.domain.district import Community
from services.intake.entrypoints import demo_district
from services.intake.entrypoints.app import create_app
from services.intake.service_layer.district import configure_communities
from shared.clock import FixedClock, local_today

CLERK_TOKENS = "clerk:clerk:intake_clerk"
CLERK = staff_headers(CLERK_TOKENS)["clerk"]


def test_a_district_of_18788_elders_imports_cleanly_and_counts_back_exactly(settings):
    clock = FixedClock(datetime(2026, 11, 29, 2, tzinfo=UTC))
    intake = bootstrap(settings, clock)
    configure_communities(intake, [Community(**c) for c in demo_district.communities()])
    add_staff(intake, CLERK_TOKENS)
    rows, expected = demo_district.survey(local_today(clock, intake.settings.zone))
    assert len(rows) == demo_district.ELDERS == 18_788
    client = create_app(intake).test_client()
    try:
        started = time.monotonic()
        report = client.post(
            "/imports", data=demo_district.as_csv(rows), headers=CLERK, content_type="text/csv"
        ).json
        elapsed = time.monotonic() - started
        print(f"\nimported {report['imported']} elders in {elapsed:.1f}s")
        assert report["rejected"] == []
        assert (report["rows"], report["imported"]) == (18_788, 18_788)

        stats = client.get("/statistics", headers=CLERK).json
        district = stats["district"]
        assert district["elders"] == 18_788
        assert district["age_bands"] == {b: expected[b] for b in demo_district.BANDS}
        assert district["age_bands"]["100+"] == 5
        assert sum(district["age_bands"][b] for b in ("80-89", "90-99", "100+")) == 603
        # The field reports' households: 1,599 empty-nest (a couple each) and 768 alone
        assert report["households"]["ambiguous"] == []
        assert report["households"]["households_formed"] == 1_599 + 768 + 14_822
        households = district["households"]
        assert households["empty_nest"] == {"households": 1_599, "elders": 3_198, "persons": 3_198}
        assert households["living_alone"] == {"households": 768, "elders": 768, "persons": 768}
        assert households["with_family"]["households"] == expected["households:with_family"]
        assert district["household_types"]["empty_nest"] == expected["empty_nest"] == 3_198
        assert district["household_types"]["living_alone"] == 768
        assert len(stats["communities"]) == 29
        for tally in stats["communities"]:
            assert tally["elders"] == expected[f"community:{tally['community']}"]
    finally:
        intake.db.client.drop_database(intake.db.name)
