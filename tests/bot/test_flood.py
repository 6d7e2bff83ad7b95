"""Per-user flood control."""

from bot.chat.flood import FloodGuard


def test_burst_then_one_warning_then_refill() -> None:
    now = [0.0]
    guard = FloodGuard(capacity=3, refill_per_second=0.5, monotonic=lambda: now[0])
    assert [guard.allow("u1") for _ in range(3)] == [(True, False)] * 3
    assert guard.allow("u1") == (False, True)  # warned once
    assert guard.allow("u1") == (False, False)  # then silently ignored
    assert guard.allow("u2") == (True, False)  # another person is not affected
    now[0] += 2.0  # one token back
    assert guard.allow("u1") == (True, False)
    assert guard.allow("u1") == (False, True)
