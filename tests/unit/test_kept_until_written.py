"""Answers kept until their stamp moves (`shared.stamps.KeptUntilWritten`): how long, and
that requests asking at once share one working-out."""

import threading
import time

from shared.stamps import KeptUntilWritten, MemoryStamp


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
