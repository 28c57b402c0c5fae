"""Money, exact to the fen, through a crash: a festival gift paid to every low-income elder
allowances knows, its cycle opened with the allowances API killed part-way through writing the
roll, finished by sending the same request again, then reviewed, approved and exported."""

import csv
import io
import threading
import time
import uuid
from collections import Counter
from typing import Any

import requests
from stack_control import Stack
from traffic import E2E, OFFICER, Ledger, local_today

APPROVER = E2E["dev-approver"]
GIFT_FEN = 12_345  # 123.45 yuan: any rounding or float on the way would show


def _post(url: str, headers: dict, body: dict | None = None, timeout: float = 120) -> Any:
    """POST until answered (the API may be restarting): a 503 or no answer is sent again."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            response = requests.post(url, json=body, headers=headers, timeout=timeout)
            if response.status_code != 503:
                return response
        except (requests.ConnectionError, requests.exceptions.ChunkedEncodingError):
            pass  # refused, reset, or cut after the headers by a kill
        assert time.monotonic() < deadline, f"{url} never answered"
        time.sleep(0.5)


def festival_roll(stack: Stack, ledger: Ledger) -> tuple[list[str], list[tuple[str, object]]]:
    """Pay the gift; return what is wrong (nothing, if all is well) and the figures."""
    api = stack.api("allowances")
    campaign = f"reliability-{uuid.uuid4().hex[:8]}"
    today = local_today()
    created = _post(
        f"{api}/campaigns",
        OFFICER,
        {
            "campaign_id": campaign,
            "name": "可靠性测试慰问",
            "festival_on": today.isoformat(),
            "amount_fen": GIFT_FEN,
            "target": {"low_income": True},
        },
    )
    assert created.status_code == 201, created.text
    programme = f"festival:{campaign}"
    cycle_id = f"{programme}:{today:%Y-%m}"
    db = stack.db("allowances")
    # the roll lists the campaign's target group: the low-income elders (all 60 or over); those
    # alive now, whom a death today would not take off it
    targeted = {d["_id"] for d in db.elders.find({"low_income": True, "status": "active"})}

    first: dict[str, Any] = {}

    def open_cycle() -> None:
        try:
            first["answer"] = requests.post(
                f"{api}/cycles", json={"programme": programme}, headers=OFFICER, timeout=300
            )
        except (requests.ConnectionError, requests.exceptions.ChunkedEncodingError) as error:
            first["error"] = error

    opening = threading.Thread(target=open_cycle)
    started = time.monotonic()
    opening.start()
    written = 0
    while opening.is_alive() and written == 0 and time.monotonic() - started < 60:
        written = db.roll_lines.count_documents({"cycle_id": cycle_id})
        time.sleep(0.02)
    interrupted = opening.is_alive()
    if interrupted:
        stack.kill("allowances-api")
    opening.join()
    if interrupted:
        stack.restart("allowances-api")
    again = _post(f"{api}/cycles", OFFICER, {"programme": programme})
    finished = again.status_code == 201
    assert finished or (not interrupted and again.status_code == 409), again.text
    cycle = requests.get(f"{api}/cycles/{cycle_id}", headers=OFFICER, timeout=30).json()

    wrong: list[str] = []
    lines = list(db.roll_lines.find({"cycle_id": cycle_id}))
    per_elder = Counter(line["elder_id"] for line in lines)
    wrong += [f"roll: {n} lines for elder {e}" for e, n in per_elder.items() if n > 1]
    wrong += [f"roll: no line for low-income elder {e}" for e in targeted - set(per_elder)]
    targeted_now = {d["_id"] for d in db.elders.find({"low_income": True}, {"_id": 1})}
    wrong += [f"roll: a line for elder {e}, not targeted" for e in set(per_elder) - targeted_now]
    for elder in ledger.elders.values():
        line = next((x for x in lines if x["elder_id"] == elder.elder_id), None)
        if line is None:
            continue
        paid = line["amount_fen"]
        if elder.status == "deceased":  # died today: the rule of the day decides, once
            expected_ok = paid in (0, GIFT_FEN) and (paid == 0 or elder.low_income)
        else:
            expected_ok = paid == (GIFT_FEN if elder.low_income else 0)
        if not expected_ok:
            wrong.append(f"roll: {elder.elder_id} (low income {elder.low_income}) paid {paid}")
    eligible = [line for line in lines if line["amount_fen"] > 0]
    totals = cycle["totals"]
    stored_fen = sum(line["amount_fen"] for line in lines)
    if not (
        totals["reconciles"]
        and totals["lines"] == len(lines)
        and totals["eligible"] == len(eligible)
        and totals["payable_fen"] == stored_fen == GIFT_FEN * len(eligible)
        and totals["net_fen"] == stored_fen
    ):
        wrong.append(f"totals {totals} for {len(lines)} lines paying {stored_fen} fen")

    for step, headers, body in [
        ("review", OFFICER, {"note": "checked after the crash"}),
        ("approve", APPROVER, None),
        ("export", OFFICER, None),
    ]:
        answer = _post(f"{api}/cycles/{cycle_id}/{step}", headers, body)
        assert answer.status_code == 200, (step, answer.text)
    file = requests.get(f"{api}/cycles/{cycle_id}/payment-file", headers=OFFICER, timeout=60)
    rows = list(csv.DictReader(io.StringIO(file.content.decode("utf-8-sig"))))
    payments = [r for r in rows if r["no"].isdigit()]
    total = next(r for r in rows if r["no"] == "total payments")
    withheld = requests.get(
        f"{api}/cycles/{cycle_id}/payment-exceptions", headers=OFFICER, timeout=60
    ).json()
    file_fen = sum(int(r["amount_fen"]) for r in payments)
    # Elders without a payee account are withheld as exceptions, never paid to nobody.
    if not (
        len(payments) + len(withheld["exceptions"]) == len(eligible)
        and len({r["elder_id"] for r in payments}) == len(payments)
        and file_fen + withheld["withheld_fen"] == stored_fen
        and int(total["amount_fen"]) == file_fen
    ):
        wrong.append(f"payment file: {len(payments)} payments, total row {total['amount_fen']}")

    mine = [line for line in eligible if line["elder_id"] in ledger.elders]
    figures: list[tuple[str, object]] = [
        ("festival roll: opening interrupted by kill -9 of the API", interrupted),
        ("festival roll: lines written before the kill", written),
        ("festival roll: second request", "finished the opening" if finished else "409, done"),
        (
            "festival roll: lines / paid (the low-income elders: the target group)",
            f"{len(lines)} / {len(eligible)}",
        ),
        ("festival roll: paid elders of this run", len(mine)),
        ("festival roll: payable, stored lines = totals = file + withheld", f"{stored_fen} fen"),
    ]
    return wrong, figures
