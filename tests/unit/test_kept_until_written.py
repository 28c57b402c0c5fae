"""Answers kept until their stamp moves (`shared.stamps.KeptUntilWritten`): how long, and
that requests asking at once share one working-out; and stamps moved once per batch of
writes (`shared.stamps.BatchedStamp`)."""

import threading
import time

import pytest

from shared.stamps import BatchedStamp, KeptUntilWritten, MemoryStamp, settle_all


def test_an_answer_is_kept_until_the_stamp_moves():
    stamp = MemoryStamp()
    kept: KeptUntilWritten[int] = KeptUntilWritten(stamp)
    worked = []
    answer = lambda: worked.append(1) or len(worked)  # noqa: E731
    assert kept.get("c01", answer) == 1
    assert kept.get("c01", answer) == 1
    stamp.bump()
    assert kept.get("c01", answer) == 2
    assert kept.get("c02", answer) == 3


def test_an_answer_older_than_max_age_is_worked_out_again_though_the_stamp_stayed():
    now = [100.0]
    kept: KeptUntilWritten[int] = KeptUntilWritten(MemoryStamp(), max_age=60, clock=lambda: now[0])
    worked = []
    answer = lambda: worked.append(1) or len(worked)  # noqa: E731
    assert kept.get("c01", answer) == 1
    now[0] += 60
    assert kept.get("c01", answer) == 1
    now[0] += 1
    assert kept.get("c01", answer) == 2


def test_requests_asking_at_once_wait_for_one_working_out():
    kept: KeptUntilWritten[str] = KeptUntilWritten(MemoryStamp())
    calls = []

    def slow() -> str:
        calls.append(1)
        time.sleep(0.2)
        return "answer"

    answers: list[str] = []
    threads = [
        threading.Thread(target=lambda: answers.append(kept.get("c01", slow))) for _ in range(8)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert answers == ["answer"] * 8
    assert len(calls) == 1
    assert kept.working == {}  # however many keys were asked for, no lock is left behind


def test_a_batched_stamp_moves_once_per_batch_and_only_when_something_was_written():
    stored = MemoryStamp()
    batched = BatchedStamp(stored)
    kept: KeptUntilWritten[int] = KeptUntilWritten(batched)
    worked = []
    answer = lambda: worked.append(1) or len(worked)  # noqa: E731
    assert kept.get("c01", answer) == 1
    for _ in range(200):  # a batch of events applied
        batched.bump()
    assert (stored.current(), kept.get("c01", answer)) == (0, 1)  # kept until the batch is in
    settle_all([batched])
    assert (stored.current(), kept.get("c01", answer)) == (1, 2)
    settle_all([batched])  # an empty poll: nothing written, nothing moved
    assert (stored.current(), kept.get("c01", answer)) == (1, 2)


class RefusingStamp(MemoryStamp):
    def __init__(self) -> None:
        super().__init__()
        self.refusing = True

    def bump(self) -> None:
        if self.refusing:
            raise ConnectionError("store unreachable")
        super().bump()


def test_a_batched_stamp_the_store_refused_moves_at_the_next_settle():
    stored = RefusingStamp()
    batched = BatchedStamp(stored)
    batched.bump()
    with pytest.raises(ConnectionError):
        batched.settle()
    stored.refusing = False
    batched.settle()  # nothing new written meanwhile, yet the refused move is made
    assert stored.current() == 1
