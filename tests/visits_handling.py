"""Events given to visits' worker as its consumer gives them: a batch of one."""

from services.visits.service_layer.container import Visits
from services.visits.service_layer.handlers import handlers
from services.visits.service_layer.kept_work import release_kept_work
from shared.events import Event, event_type


def consumed(visits: Visits, event: Event) -> bool:
    """The handler of the event's type with its data as loaded, then the batch's finishing
    step (the work kept for the elder released); whether anything changed."""
    changed = handlers(visits)[event.type](event, event_type(event.type).load(event))
    return release_kept_work(visits) or changed
