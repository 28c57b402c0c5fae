"""A worker never runs on half-alive: a thread that fails stops the whole worker."""

from shared.config import Settings
from shared.worker import Worker


def test_a_failing_thread_stops_the_worker_and_marks_it_failed():
    worker = Worker(Settings(service="t"), db=None)

    def consumer_with_a_bug() -> None:
        raise RuntimeError("a bug, or an error of the client library")

    thread = worker._thread("consumer", consumer_with_a_bug)
    thread.start()
    thread.join()
    assert worker.failed and worker.stop.is_set()


def test_a_thread_that_ends_normally_does_not():
    worker = Worker(Settings(service="t"), db=None)
    thread = worker._thread("relay", lambda: None)
    thread.start()
    thread.join()
    assert not worker.failed and not worker.stop.is_set()
