"""The next-slot scheduler and the backoff schedules, on a fake clock."""

from __future__ import annotations

import threading

import pytest

from planfix_server.client.pacing import LimitBackoff, Retry, Scheduler


class Clock:
    def __init__(self) -> None:
        self.now = 50.0
        self.lock = threading.Lock()

    def __call__(self) -> float:
        return self.now


def wait(scheduler: Scheduler) -> float:
    return scheduler.take()[1]


def test_slots_are_spaced_by_interval_plus_margin() -> None:
    clock = Clock()
    scheduler = Scheduler(1.0, margin=0.02, clock=clock)
    assert scheduler.interval == pytest.approx(1.02)
    waits = [wait(scheduler) for _ in range(4)]
    assert waits == pytest.approx([0.0, 1.02, 2.04, 3.06])


def test_a_free_slot_is_taken_at_once() -> None:
    clock = Clock()
    scheduler = Scheduler(2.0, margin=0.0, clock=clock)
    assert wait(scheduler) == 0
    clock.now += 10
    assert wait(scheduler) == 0
    assert wait(scheduler) == pytest.approx(0.5)


def test_the_next_slot_is_a_full_interval_after_the_last_answer() -> None:
    clock = Clock()
    scheduler = Scheduler(1.0, margin=0.01, clock=clock)
    slot, delay = scheduler.take()
    assert delay == 0
    clock.now += 0.3  # a slow answer: the server may have counted the request just now
    scheduler.answered()
    slot, delay = scheduler.take()
    assert delay == pytest.approx(1.001)  # not 0.71: measured from the answer, not the send
    clock.now += delay
    assert scheduler.take(slot) == (slot, 0.0)


def test_a_slot_overtaken_by_an_answer_is_exchanged() -> None:
    clock = Clock()
    scheduler = Scheduler(1.0, margin=0.0, clock=clock)
    scheduler.take()
    second, delay = scheduler.take()  # taken while the first request is in flight
    assert delay == pytest.approx(1.0)
    clock.now += 0.5
    scheduler.answered()  # the first answer arrives late: the floor is now 51.501
    clock.now += 0.5
    later, delay = scheduler.take(second)
    assert later == pytest.approx(51.501) and delay == pytest.approx(0.501)
    third, _ = scheduler.take()
    assert third == pytest.approx(later + 1.0)  # still one slot per interval


def test_exchanged_slots_go_behind_the_queue() -> None:
    clock = Clock()
    scheduler = Scheduler(1.0, margin=0.0, clock=clock)
    scheduler.take()
    second, _ = scheduler.take()
    third, _ = scheduler.take()
    clock.now += 1.5
    scheduler.answered()  # floor 52.501: the second slot (51) is overtaken, the third (52) too
    moved, _ = scheduler.take(second)
    assert moved == pytest.approx(53.0)  # behind the third, which others may already hold
    assert scheduler.take(third)[0] == pytest.approx(54.0)


def test_no_pacing_still_honours_deferral() -> None:
    clock = Clock()
    scheduler = Scheduler(0, clock=clock)
    assert [wait(scheduler) for _ in range(3)] == [0, 0, 0]
    scheduler.answered()
    assert wait(scheduler) == 0
    scheduler.defer(2.5)
    assert wait(scheduler) == pytest.approx(2.5)
    assert wait(scheduler) == pytest.approx(2.5)  # every caller waits for the same moment


def test_deferral_never_moves_slots_earlier() -> None:
    clock = Clock()
    scheduler = Scheduler(1.0, margin=0.0, clock=clock)
    for _ in range(5):
        scheduler.take()
    scheduler.defer(1.0)
    assert wait(scheduler) == pytest.approx(5.0)


def test_threads_get_distinct_ordered_slots() -> None:
    clock = Clock()
    scheduler = Scheduler(1.0, margin=0.02, clock=clock)
    waits: list[float] = []
    lock = threading.Lock()
    start = threading.Barrier(8)

    def worker() -> None:
        start.wait()
        for _ in range(25):
            delay = wait(scheduler)
            with lock:
                waits.append(delay)

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    # 200 sends from 8 threads at one moment: 200 distinct slots, 1.02 s apart, none shared.
    assert sorted(waits) == pytest.approx([n * 1.02 for n in range(200)])


def test_refuses_negative_settings() -> None:
    with pytest.raises(ValueError, match="negative"):
        Scheduler(-1)


def test_backoff_schedules() -> None:
    retry = Retry(attempts=5, first=0.5, factor=2, cap=3)
    assert [retry.delay(n) for n in range(1, 6)] == [0.5, 1, 2, 3, 3]
    limits = LimitBackoff(budget=10, first=1, cap=4)
    assert [limits.delay(n) for n in range(1, 5)] == [1, 2, 4, 4]
