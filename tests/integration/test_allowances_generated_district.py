"""A cycle for a generated district reconciles to the fen: against an independent count of who
should be paid what, against its stored lines, and against its payment files."""

import csv
import io
import random
from collections import Counter
from datetime import UTC, date, datetime, timedelta

from openpyxl import load_workbook
from test_allowances_api import ADMIN, OFFICER, advance, client, service  # noqa: F401

from shared.documents import to_document

ELDERS = 3000
MONTH = "2026-11"
AMOUNTS = {"80-89": 12_345, "90-99": 30_001, "100+": 88_888}  # deliberately odd fen


def generated(seed: int = 2026) -> list[dict]:
    """Elders of a district: births over fifty years (29 February and month ends included),
    some dead or gone, some low-income or enrolled in home care."""
    rng = random.Random(seed)
    elders = []
    for n in range(ELDERS):
        born = date(1915, 1, 1) + timedelta(days=rng.randrange(18_250))
        if n % 97 == 0:
            born = date(rng.choice(range(1916, 1948, 4)), 2, 29)
        facts = {
            "elder_id": f"g-{n:05d}",
            "name": "居民",
            "birth_date": born,
            "community": f"c{rng.randrange(1, 13):02d}",
            "low_income": rng.random() < 0.1,
            "home_care": rng.random() < 0.08,
            "status": "active",
            "died_on": None,
            "moved_out_on": None,
        }
        roll = rng.random()
        when = date(2026, 1, 1) + timedelta(days=rng.randrange(330))
        if roll < 0.05:
            facts.update(status="deceased", died_on=when)
        elif roll < 0.08:
            facts.update(status="moved_out", moved_out_on=when)
        elif roll < 0.09:
            facts.update(status="merged")
        elders.append(facts)
    return elders


def expected(elder: dict) -> tuple[str | None, int]:
    """Independently: the exclusion reason or None, and the amount in fen (birthday month rule,
    paid through the month of a death or move)."""
    if elder["status"] == "merged":
        return "merged", 0
    stop = elder["died_on"] or elder["moved_out_on"]
    if stop is not None and (stop.year, stop.month) < (2026, 11):
        return elder["status"], 0
    born = elder["birth_date"]
    month_end = date(2026, 11, 30)
    age = month_end.year - born.year - ((month_end.month, month_end.day) < (born.month, born.day))
    if age < 80:
        return "under_age", 0
    band = "80-89" if age < 90 else "90-99" if age < 100 else "100+"
    return None, AMOUNTS[band]


def test_a_generated_district_reconciles_to_the_fen(client, service):  # noqa: F811
    service.clock.move_to(datetime(2026, 11, 20, 2, tzinfo=UTC))
    district = generated()
    # The projection as intake's events leave it, stored in one batch: on FerretDB a versioned
    # upsert of a new document scans the collection, too slow for thousands in a test.
    projection = service.elders.store  # the projection, behind the stamp its events move
    projection.collection.insert_many(
        [
            {
                "_id": elder["elder_id"],
                **{name: to_document(elder[name]) for name in projection.fields if name in elder},
                "version": 1,
                "last_event_id": f"gen-{elder['elder_id']}",
            }
            for elder in district
        ]
    )
    assert service.elders.get("g-00097") is not None
    high_age = {
        "version": 0,
        "starts": "birthday_month",
        "amounts": [{"band": band, "amount_fen": fen} for band, fen in AMOUNTS.items()],
    }
    assert client.put("/programmes/high-age", json=high_age, headers=ADMIN).status_code == 200

    response = client.post(
        "/cycles", json={"programme": "high_age", "month": MONTH}, headers=OFFICER
    )
    assert response.status_code == 201, response.json
    totals = response.json["totals"]

    outcomes = [expected(e) for e in district]
    # The roll lists only those the programme concerns: 80 or over by the month's end, and
    # not closed before it (nobody is being paid yet). With the birthday-month rule, they are
    # exactly the payable ones.
    listed = [(e, o) for e, o in zip(district, outcomes, strict=True) if o[0] is None]
    assert totals["lines"] == totals["eligible"] == len(listed)
    assert totals["excluded"] == []
    assert totals["payable_fen"] == sum(fen for _, fen in outcomes)
    assert totals["net_fen"] == totals["payable_fen"] and totals["to_recover_fen"] == 0
    bands = Counter()
    for reason, fen in outcomes:
        if reason is None:
            bands[next(b for b, a in AMOUNTS.items() if a == fen)] += fen
    assert {r["rule"]: r["amount_fen"] for r in totals["by_rule"]} == {
        f"high_age.band.{band}": fen for band, fen in bands.items()
    }
    assert totals["reconciles"] is True

    stored = list(service.db["roll_lines"].find({"cycle_id": f"high_age:{MONTH}"}))
    assert sum(d["amount_fen"] for d in stored) == totals["net_fen"]
    assert all(d["amount_fen"] == sum(i["amount_fen"] for i in d["items"]) for d in stored)
    by_id = {e["elder_id"]: expected(e) for e in district}
    assert all((d["reason"], d["amount_fen"]) == by_id[d["elder_id"]] for d in stored)
    assert {d["elder_id"] for d in stored} == {e["elder_id"] for e, _ in listed}

    # Anyone else's statement says why not, worked out from the cycle's frozen rules: ten
    # elders of each reason.
    asked = Counter()
    for elder in district:
        reason, _ = by_id[elder["elder_id"]]
        if reason is None or asked[reason] == 10:
            continue
        asked[reason] += 1
        lines = client.get(f"/elders/{elder['elder_id']}/statement", headers=OFFICER).json["lines"]
        line = next(line for line in lines if line["cycle_id"] == f"high_age:{MONTH}")
        assert (line["computed"], line["eligible"], line["reason"]) == (True, False, reason)
    assert asked == {"under_age": 10, "deceased": 10, "moved_out": 10, "merged": 10}

    # Every elder has a payee account but one in fifty, registered in one batch.
    without = {e["elder_id"] for e in district[::50]}
    service.payees.collection.insert_many(
        [
            {
                "_id": e["elder_id"],
                "elder_id": e["elder_id"],
                "kind": "bank_account",
                "bank": "工商银行",
                "number": f"62220200{n:011d}",
                "holder": e["name"],
                "registered_by": "officer",
                "registered_at": datetime(2026, 11, 1, tzinfo=UTC),
                "version": 1,
            }
            for n, e in enumerate(district)
            if e["elder_id"] not in without
        ]
    )
    advance(client, f"high_age:{MONTH}", until="export")
    file = client.get(f"/cycles/high_age:{MONTH}/payment-file", headers=OFFICER)
    rows = list(csv.DictReader(io.StringIO(file.data.decode("utf-8-sig"))))
    payments = [r for r in rows if r["no"].isdigit()]
    withheld = client.get(f"/cycles/high_age:{MONTH}/payment-exceptions", headers=OFFICER).json
    unpaid = {e["elder_id"] for e in withheld["exceptions"]}
    assert all(e["reason"] == "no_account" for e in withheld["exceptions"])
    assert unpaid == {
        e["elder_id"]
        for e, (reason, _) in zip(district, outcomes, strict=True)
        if e["elder_id"] in without and reason is None
    }
    assert len(payments) + len(unpaid) == totals["payees"]
    assert not unpaid & {r["elder_id"] for r in payments}
    file_fen = sum(int(r["amount_fen"]) for r in payments)
    assert file_fen + withheld["withheld_fen"] == totals["payable_fen"]
    totals_row = next(r for r in rows if r["no"] == "total payments")
    assert int(totals_row["amount_fen"]) == file_fen == withheld["file_amount_fen"]
    assert totals_row["amount_yuan"] == f"{file_fen // 100}.{file_fen % 100:02d}"

    workbook = client.get(f"/cycles/high_age:{MONTH}/payment-file?format=xlsx", headers=OFFICER)
    book = load_workbook(io.BytesIO(workbook.data))
    sheet = list(book["Payments"].iter_rows(values_only=True))
    assert sum(row[5] for row in sheet if isinstance(row[0], int)) == file_fen
    summary = {row[0]: row[2] for row in book["Summary"].iter_rows(values_only=True) if row}
    assert summary["net"] == totals["net_fen"]
    assert summary["in the file"] + summary["withheld (exceptions)"] == summary["payable"]

    vouchers = client.post(
        "/cycles", json={"programme": "home_care_voucher", "month": MONTH}, headers=OFFICER
    ).json["totals"]
    enrolled = [
        e
        for e, (reason, _) in zip(district, outcomes, strict=True)
        if e["home_care"] and reason not in ("merged", "deceased", "moved_out")
    ]
    assert (vouchers["payees"], vouchers["payable_fen"]) == (len(enrolled), 6000 * len(enrolled))
