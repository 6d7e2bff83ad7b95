"""SQLite's one writer within a process (storage.database._WriterLock): urgent transactions first, every waiter
served, re-entrant (it had no test of its own)."""

from __future__ import annotations

import threading
import time

from storage.database import _WriterLock


def _until(condition, what: str) -> None:  # type: ignore[no-untyped-def]
    for _ in range(10_000):  # a bound, not a timing: the other threads only have to reach their wait
        if condition():
            return
        time.sleep(0.001)
    raise AssertionError(f"never: {what}")


def test_a_release_hands_the_lock_to_the_urgent_waiter_before_the_plain_ones() -> None:
    lock, order = _WriterLock(), []
    lock.acquire(urgent=False)

    def take(name: str, urgent: bool) -> None:
        lock.acquire(urgent=urgent)
        order.append(name)
        lock.release()

    plain = [threading.Thread(target=take, args=(f"plain {i}", False)) for i in range(3)]
    for thread in plain:
        thread.start()
    _until(lambda: len(lock._state._waiters) == 3, "three plain waiters")  # type: ignore[attr-defined]
    urgent = threading.Thread(target=take, args=("urgent", True))
    urgent.start()
    _until(lambda: lock._urgent_waiting == 1, "an urgent waiter")
    lock.release()
    for thread in (*plain, urgent):
        thread.join(30)
    assert order[0] == "urgent" and sorted(order[1:]) == ["plain 0", "plain 1", "plain 2"]


def test_every_waiter_is_served_and_one_holds_it_at_a_time() -> None:
    lock, held, counted = _WriterLock(), [0], [0]
    overlaps: list[int] = []

    def work(urgent: bool) -> None:
        for _ in range(300):
            lock.acquire(urgent=urgent)
            lock.acquire(urgent=urgent)  # re-entrant: the same thread again
            try:
                held[0] += 1
                if held[0] != 1:
                    overlaps.append(held[0])
                seen = counted[0]
                time.sleep(0)  # let another thread run while this one holds it
                counted[0] = seen + 1
                held[0] -= 1
            finally:
                lock.release()
                lock.release()

    threads = [threading.Thread(target=work, args=(i % 3 == 0,)) for i in range(10)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert not any(thread.is_alive() for thread in threads), "a waiter was never woken"
    assert not overlaps and counted[0] == 10 * 300
    assert lock._owner is None and lock._urgent_waiting == 0
