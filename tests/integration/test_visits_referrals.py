"""Help beyond a visit in visits on the real store, through its HTTP API: a help request
referred to a legal helper and its outcome; relief raised gift by gift and handed over, never
more than is held, a gift sent twice counted once; another community's staff see none of it."""

from test_visits_support import (  # noqa: F401
    DONGFENG_HEAD,
    HEAD,
    VISITOR,
    client,
    register,
    visits,
)


def posted(client, path: str, body: dict, status: int = 201, headers=VISITOR) -> dict:  # noqa: F811
    answer = client.post(path, json=body, headers=headers)
    assert answer.status_code == status, answer.json
    return answer.json


def test_a_request_is_referred_and_relief_raised_and_handed_over(client, visits):  # noqa: F811
    register(visits, "e-1")
    call = {"elder_id": "e-1", "channel": "hotline", "description": "房屋失火，生活困难"}
    request_id = posted(client, "/help-requests", call)["request_id"]
    base = f"/help-requests/{request_id}"
    referral = posted(client, f"{base}/referrals", {"kind": "legal_helper",
                      "referred_to": "区法律援助中心", "reason": "赡养纠纷"})  # fmt: skip
    outcome = f"{base}/referrals/{referral['referral_id']}/outcome"
    done = posted(client, outcome, {"outcome": "已调解"}, 200)
    assert done["status"] == "concluded"
    assert client.post(outcome, json={"outcome": "again"}, headers=VISITOR).status_code == 409

    relief = posted(client, f"{base}/relief", {"purpose": "火灾后重建"})
    gifts = f"{base}/relief/{relief['relief_id']}/gifts"
    gift = {"gift_id": "g-1", "given_by": "共建单位某公司", "amount_fen": 200000}
    posted(client, gifts, gift, 200)
    again = posted(client, gifts, gift, 200)  # the client sent it twice
    assert again["raised_fen"] == 200000 and len(again["gifts"]) == 1
    posted(client, gifts, {"given_by": "居民捐款", "amount_fen": 150050}, 200)
    handovers = f"{base}/relief/{relief['relief_id']}/handovers"
    handed = posted(client, handovers, {"amount_fen": 300000, "received_by": "老人本人"}, 200)
    assert (handed["handed_over_fen"], handed["held_fen"]) == (300000, 50050)
    too_much = client.post(handovers, json={"amount_fen": 50051, "received_by": "x"},
                           headers=VISITOR)  # fmt: skip
    assert too_much.status_code == 422 and "50050" in too_much.json["detail"]
    for wrong in ({"amount_fen": 0}, {"amount_fen": "100"}, {"amount_fen": 1.5}):
        refused = client.post(gifts, json={"given_by": "x", **wrong}, headers=VISITOR)
        assert refused.status_code == 422, wrong

    seen = client.get(f"{base}/beyond", headers=HEAD).json
    assert [r["outcome"] for r in seen["referrals"]] == ["已调解"]
    assert seen["relief"][0]["raised_fen"] == 350050
    assert client.get(f"{base}/beyond", headers=DONGFENG_HEAD).status_code == 404
