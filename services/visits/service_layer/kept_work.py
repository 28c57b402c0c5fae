"""The work kept for elders visits did not know yet, released once for a batch of events.

An incident or a hotline call about an elder whose record has not reached visits is kept
(`obligations.take_incident`, `help_requests.take_call`) until it does. Each elder event the
worker handles notes its elder (`Visits.seen_elders`); once the batch is handled, and before
its offsets are committed (the consumer's finishing step), one read of each kept collection
finds the work kept for all of them. Looking at each event instead cost two reads of the store
per elder, which in a district's import find nothing, a quarter each of visits' handling.

The read comes after the batch's elders are stored, and work kept meanwhile looks for its
elder once, just after it is kept: whichever of the two looks second finds the other.
"""

from services.visits.service_layer.container import Visits
from services.visits.service_layer.help_requests import receive_waiting
from services.visits.service_layer.obligations import open_waiting
from shared.audit import acting_as


def release_kept_work(visits: Visits) -> bool:
    """Open the incidents and receive the calls kept for the elders the batch was about, as
    each elder now stands (dismissed for one no longer served), acting as the last event about
    the elder. Whether anything changed."""
    seen = visits.seen_elders.noted()
    if not seen:
        return False
    query = {"elder_id": {"$in": sorted(seen)}, "status": "waiting"}
    waiting = {kept.elder_id for kept in visits.incidents.each(query, ordered=False)}
    waiting |= {kept.elder_id for kept in visits.waiting_calls.each(query, ordered=False)}
    changed = False
    for elder_id in sorted(waiting):
        elder = visits.elders.get(elder_id)
        if elder is None:
            continue
        with acting_as(seen[elder_id]):
            opened = open_waiting(visits, elder)
            changed = receive_waiting(visits, elder) or opened or changed
    visits.seen_elders.forget(seen)
    return changed
