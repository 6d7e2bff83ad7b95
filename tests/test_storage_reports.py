"""Invites, bindings and append-only status reports on both engines."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from bot.periods import collecting_period, ensure_periods, unit_task_lines
from storage.database import Database
from storage.members import InviteError, create_invite, get_member, redeem_invite, unit_chats
from storage.reports import record_status, report_for_message, standing_reports, undo_report
from tests.factories import make_plan, make_task, make_units


def test_invite_is_single_use_and_expires(db: Database, clock) -> None:
    now = clock.now()
    with db.session() as s:
        (unit,) = make_units(s, "Phòng Kinh tế", now=now)
        create_invite(session=s, unit_id=unit.id, role="staff", code="AAA", now=now, expires_at=now + timedelta(days=1))
        create_invite(session=s, unit_id=unit.id, role="staff", code="OLD", now=now,
                      expires_at=now - timedelta(hours=1))
    binding = db.call(redeem_invite, code="AAA", platform="telegram", user_id="42", display_name="Lan",
                      chat_id="-100", chat_type="group", now=now)
    assert binding.unit_name == "Phòng Kinh tế" and binding.chat_bound
    for code, reason in (("AAA", "used"), ("OLD", "expired"), ("nope", "unknown")):
        with pytest.raises(InviteError) as info:
            db.call(redeem_invite, code=code, platform="telegram", user_id="43", display_name=None,
                    chat_id="43", chat_type="private", now=now)
        assert info.value.reason == reason
    assert db.call(get_member, platform="telegram", user_id="43") is None
    member = db.call(get_member, platform="telegram", user_id="42")
    assert member is not None and member.unit_id == unit.id and member.role == "staff"
    assert [b.chat_id for b in db.call(unit_chats, unit_id=unit.id)] == ["-100"]


def test_reports_are_versioned_late_and_undoable(db: Database, clock) -> None:
    now = clock.now()  # 20 May 2026: Q2 is being collected (cutoff 5 June)
    with db.session() as s:
        unit, other = make_units(s, "Phòng Kinh tế", "Phòng Tư pháp", now=now)
        plan = make_plan(s, now=now)
        t1 = make_task(s, plan, code="1", title="Số hoá hồ sơ", lead=unit, support=(other,), now=now)
        t2 = make_task(s, plan, code="2", title="Tuyên truyền", lead=unit, now=now)
        make_task(s, plan, code="3", title="Đã xong từ trước", lead=unit, completed=True, now=now)
        period = collecting_period(session=s, plan=plan, today=date(2026, 5, 20), now=now)
        assert period.key == "2026-Q2"
        ids = (unit.id, other.id, t1.id, t2.id, plan.id)
    unit_id, other_id, t1_id, t2_id, plan_id = ids

    with db.session() as s:
        r1 = record_status(session=s, task_id=t1_id, unit_id=unit_id, period=period, now=now, today=date(2026, 5, 20),
                           status="in_progress", percent=50, platform="telegram", chat_id="-100", message_id="7")
        r2 = record_status(session=s, task_id=t1_id, unit_id=unit_id, period=period, now=now, today=date(2026, 5, 21),
                           status="done", source="edit", platform="telegram", chat_id="-100", message_id="7")
        late = record_status(session=s, task_id=t2_id, unit_id=unit_id, period=period, now=now,
                             today=date(2026, 6, 6), status="blocked", blocker="chưa có kinh phí")
    assert (r1.version, r2.version, r1.late, r2.late, late.late) == (1, 2, False, False, True)

    with db.session() as s:
        lines = unit_task_lines(session=s, plan_id=plan_id, unit_id=unit_id, period=period)
        assert [(ln.task.code, ln.report.status if ln.report else None) for ln in lines] == [
            ("1", "done"), ("2", "blocked")]  # task 3 was completed before import
        assert unit_task_lines(session=s, plan_id=plan_id, unit_id=other_id, period=period) == []
        assert report_for_message(session=s, platform="telegram", chat_id="-100", message_id="7").version == 2

    back = db.call(undo_report, report_id=r2.id, now=now, today=date(2026, 5, 21), member_id=None)
    assert back is not None and back.status == "in_progress" and back.percent == 50 and back.version == 3
    assert db.call(undo_report, report_id=r2.id, now=now, today=date(2026, 5, 21), member_id=None) is None
    gone = db.call(undo_report, report_id=late.id, now=now, today=date(2026, 6, 6), member_id=None)
    assert gone is not None and gone.status == "retracted"
    standing = db.call(standing_reports, period_id=period.id)
    assert set(standing) == {(t1_id, unit_id)}


def test_done_in_an_earlier_period_is_not_asked_again(db: Database, clock) -> None:
    now = clock.now()
    with db.session() as s:
        (unit,) = make_units(s, "UBND xã A", now=now)
        plan = make_plan(s, now=now)
        task = make_task(s, plan, code="1", title="Việc", lead=unit, now=now)
        periods = {p.key: p for p in ensure_periods(session=s, plan=plan, years=[2026], now=now)}
        record_status(session=s, task_id=task.id, unit_id=unit.id, period=periods["2026-Q1"], now=now,
                      today=date(2026, 3, 1), status="done")
        assert unit_task_lines(session=s, plan_id=plan.id, unit_id=unit.id, period=periods["2026-Q2"]) == []
        assert len(unit_task_lines(session=s, plan_id=plan.id, unit_id=unit.id, period=periods["2026-Q1"])) == 1
