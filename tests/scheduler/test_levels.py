"""A plan that gives a deadline for each level of a report aggregated upward (Nghị định 09/2019/NĐ-CP), from the
import to the nudges: the units are reminded before their own deadline, the coordinating office before its deadline
to report to the province, both on working days around Tết Dương lịch (1/1/2027, a Friday); and the reminder as
the dispatcher sends it through the sandbox Bot API, to the coordinator only. The clock is fixed."""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path

import pytest
import telegram
from click.testing import CliRunner
from sqlmodel import select

from bot.base.clock import VN_TZ, FixedClock
from bot.calendar import CutoffRule, Frequency, Level, Regime, is_working_day
from bot.cli import cli
from bot.cli.context import CliContext
from bot.sandbox import SandboxClient
from scheduler.planning import plan_ahead
from scheduler.render import render
from storage.database import Database
from storage.members import bind_chat
from storage.models import Nudge, Plan, Task, Unit
from storage.reports import period_row, record_status
from tests.scheduler.conftest import build_world, make_service
from tests.scheduler.test_quarter import received, report, run_days

OFFICE = "Văn phòng HĐND và UBND huyện"
UNITS_RULE = (f"Các phòng gửi báo cáo quý về {OFFICE} trước ngày 03 của tháng đầu quý sau")
UPWARD_RULE = f"{OFFICE} tổng hợp, báo cáo UBND tỉnh trước ngày 04 của tháng đầu quý sau"


def plan_text(rule: str) -> str:
    return "\n".join([
        "ỦY BAN NHÂN DÂN HUYỆN MỘC CHÂU", "Số: 112/KH-UBND", "Mộc Châu, ngày 02 tháng 10 năm 2026", "",
        "KẾ HOẠCH", "Chuyển đổi số trong cơ quan nhà nước quý IV năm 2026", "", "III. TỔ CHỨC THỰC HIỆN", "",
        "1. Phòng Kinh tế chủ trì số hóa hồ sơ đất đai, hoàn thành trước ngày 30/12/2026.", "",
        "2. Phòng Nội vụ chủ trì rà soát danh mục hồ sơ lưu trữ của các cơ quan.", "",
        "3. Chế độ báo cáo: Thời gian chốt số liệu báo cáo quý tính từ ngày 15 của tháng trước kỳ báo cáo đến ngày"
        f" 14 của tháng cuối quý. {rule}.", ""])


LEVELS = plan_text(f"{UNITS_RULE}; {UPWARD_RULE}")
NO_LEVELS = plan_text(UNITS_RULE)
NOW = datetime(2026, 12, 10, 9, 0, tzinfo=VN_TZ)
COORDINATOR_CHAT, KINH_TE_CHAT = "5001", "-1007"


def cli_ok(runner: CliRunner, *args: str, now: datetime = NOW) -> str:
    done = runner.invoke(cli, list(args), obj=CliContext(clock=FixedClock(now)))
    assert done.exit_code == 0, done.output
    return done.output


def imported(db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, text: str) -> CliRunner:
    """The office registered first (so the plan's coordinator is a unit), the plan imported through the CLI, the
    office's coordinator and Phòng Kinh tế's group bound to chats."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DATABASE_URL", db.url)
    runner = CliRunner()
    cli_ok(runner, "units", "add", OFFICE)
    path = tmp_path / "ke-hoach.txt"
    path.write_text(text, encoding="utf-8")
    cli_ok(runner, "import", str(path), "--create-units")

    def bind(*, session):  # type: ignore[no-untyped-def]
        units = {u.name: u.id for u in session.exec(select(Unit))}
        assert session.exec(select(Plan)).one().coordinator_unit_id == units[OFFICE]
        bind_chat(session=session, platform="telegram", chat_id=COORDINATOR_CHAT, chat_type="private",
                  unit_id=units[OFFICE], role="coordinator", now=NOW)
        bind_chat(session=session, platform="telegram", chat_id=KINH_TE_CHAT, chat_type="group",
                  unit_id=units["Phòng Kinh tế"], role="staff", now=NOW)
    db.call(bind)
    return runner


def planned(runner: CliRunner) -> list[dict[str, object]]:
    return json.loads(cli_ok(runner, "nudges", "plan", "--from", "2026-12-14", "--to", "2027-01-08", "--json"))


def test_units_and_the_coordinator_are_nudged_on_working_days_before_their_own_deadlines(
        sqlite_db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    runner = imported(sqlite_db, tmp_path, monkeypatch, LEVELS)
    plan = sqlite_db.call(lambda session: session.exec(select(Plan)).one())
    (regime,) = plan.regimes
    assert regime["data_close"] == 14
    assert regime["levels"] == [{"sender": OFFICE, "cutoff": {"day": 4, "month": None, "month_offset": 1},
                                 "recipient": "UBND tỉnh"}]
    entries = planned(runner)
    assert all(is_working_day(date.fromisoformat(str(e["at"])[:10])) for e in entries)
    units = sorted({(str(e["at"])[:10], e["step"], e["unit"]) for e in entries if e["kind"] == "cutoff"})
    # Q4/2026: the units' report is late from Sunday 3/1/2027, so their last day is Saturday 2/1; 1/1 is a holiday:
    # d1 is Thursday 31/12, d3 Tuesday 29/12, d7 Wednesday 23/12
    assert units == [(day, step, unit) for day, step in (("2026-12-23", "d7"), ("2026-12-29", "d3"),
                                                         ("2026-12-31", "d1"))
                     for unit in ("Phòng Kinh tế", "Phòng Nội vụ")]
    upward = [(str(e["at"]), e["step"], e["period"], e["deadline"], e["recipient"], e["unit"], e["chats"])
              for e in entries if e["kind"] == "upward"]
    # The office's own deadline "trước ngày 04" (last day Sunday 3/1) is held to one working day after the units'
    # last day: Monday 4/1. Its reminders: 4/1 itself (d1) and the working day before, over 1/1 and the weekend (d2)
    assert upward == [
        ("2026-12-31T08:00:00+07:00", "d2", "2026-Q4", "2027-01-04", "UBND tỉnh", "(đầu mối tổng hợp)",
         [COORDINATOR_CHAT]),
        ("2027-01-04T08:00:00+07:00", "d1", "2026-Q4", "2027-01-04", "UBND tỉnh", "(đầu mối tổng hợp)",
         [COORDINATOR_CHAT])]
    text = cli_ok(runner, "nudges", "plan", "--from", "2026-12-31", "--to", "2026-12-31")
    line = "upward     d2               2026-Q4 → UBND tỉnh (hạn 2027-01-04) (đầu mối tổng hợp)"
    assert f"2026-12-31T08:00:00+07:00  {line}  → {COORDINATOR_CHAT}" in text


def test_a_plan_without_levels_plans_exactly_as_before(
        sqlite_db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    runner = imported(sqlite_db, tmp_path, monkeypatch, NO_LEVELS)
    plan = sqlite_db.call(lambda session: session.exec(select(Plan)).one())
    assert "levels" not in plan.regimes[0]
    entries = planned(runner)
    assert entries and not [e for e in entries if e["kind"] == "upward"]
    assert all("recipient" not in e for e in entries)
    assert sorted({(str(e["at"])[:10], e["step"]) for e in entries if e["kind"] == "cutoff"}) == [
        ("2026-12-23", "d7"), ("2026-12-29", "d3"), ("2026-12-31", "d1")]


def test_the_coordinators_nudge_is_an_outbox_row_planned_once_that_counts_the_units_not_reported(
        sqlite_db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    imported(sqlite_db, tmp_path, monkeypatch, LEVELS)
    morning = datetime(2026, 12, 31, 7, 0, tzinfo=VN_TZ)
    first = sqlite_db.call(lambda session: plan_ahead(session=session, now=morning, days=5))
    again = sqlite_db.call(lambda session: plan_ahead(session=session, now=morning, days=5))
    assert first > 0 and again == 0

    def upward_rows(*, session):  # type: ignore[no-untyped-def]
        return session.exec(select(Nudge).where(Nudge.kind == "upward").order_by(Nudge.due_at)).all()

    rows = sqlite_db.call(upward_rows)
    plan_id = rows[0].plan_id
    assert [(r.key, r.chat_id) for r in rows] == [
        (f"upward:p{plan_id}:2026-Q4:coord:d2:telegram:{COORDINATOR_CHAT}", COORDINATOR_CHAT),
        (f"upward:p{plan_id}:2026-Q4:coord:d1:telegram:{COORDINATOR_CHAT}", COORDINATOR_CHAT)]

    def said(row: Nudge, now: datetime) -> str | None:
        def read(*, session):  # type: ignore[no-untyped-def]
            rendered = render(session, session.get(Nudge, row.id), now)
            return rendered.out.text if rendered.out else rendered.drop
        return sqlite_db.call(read)

    eight = datetime(2026, 12, 31, 8, 0, tzinfo=VN_TZ)
    text = said(rows[0], eight)
    assert text is not None
    assert "Hạn tổng hợp, báo cáo UBND tỉnh: hết ngày 04/01/2027 (còn 2 ngày làm việc)" in text
    assert "còn 2/2 đơn vị chưa báo cáo đủ" in text and "Phòng Nội vụ: 1 nhiệm vụ" in text
    assert "/tonghop 2026-Q4" in text

    def report(*, session):  # type: ignore[no-untyped-def]
        task = session.exec(select(Task).where(Task.title.contains("đất đai"))).one()  # type: ignore[attr-defined]
        unit = session.exec(select(Unit).where(Unit.name == "Phòng Kinh tế")).one()
        period = period_row(session=session, plan_id=plan_id, key="2026-Q4")
        record_status(session=session, task_id=task.id, unit_id=unit.id, period=period, now=eight,
                      today=eight.date(), status="done", source="reply")
    sqlite_db.call(report)
    text = said(rows[0], eight)
    assert text is not None and "còn 1/2 đơn vị chưa báo cáo đủ" in text and "Phòng Kinh tế" not in text
    assert said(rows[1], datetime(2027, 1, 5, 8, 0, tzinfo=VN_TZ)) == "đã qua hạn báo cáo lên cấp trên"


async def test_the_dispatcher_sends_the_coordinator_its_reminders_and_no_one_else(
        sqlite_db: Database, people: SandboxClient, tg_bot: telegram.Bot, quarter_clock: FixedClock) -> None:
    db, clock = sqlite_db, quarter_clock
    world = await build_world(db, people, clock.now())
    # units before the 5th of the quarter's last month, the office up to UBND tỉnh before the 8th: Q2/2026's last
    # day for the office is Sunday 7/6, so it is reminded on Thursday 4/6 (d2) and Friday 5/6 (d1)
    regime = Regime(Frequency.QUARTERLY, CutoffRule(day=5),
                    levels=(Level("Văn phòng", CutoffRule(day=8), "UBND tỉnh"),))

    def leveled(*, session):  # type: ignore[no-untyped-def]
        plan = session.get(Plan, world.plan_id)
        plan.regimes = [regime.to_dict()]
        session.add(plan)
    db.call(leveled)
    service = make_service(db, tg_bot, clock)

    async def events(now: datetime) -> None:
        local = now.astimezone(VN_TZ)
        if (local.month, local.day, local.hour) == (6, 4, 12):
            report(db, world, "C4", "Phòng C", now)

    await run_days(clock, date(2026, 6, 3), date(2026, 6, 9), service.tick, events)
    pushed = await people.messages(world.chats["coord"], sender="bot")
    upward = [(datetime.fromtimestamp(m.raw["date"], VN_TZ).strftime("%m-%d %H:%M"), m.text or "") for m in pushed
              if (m.text or "").startswith("📤")]
    assert [when for when, _ in upward] == ["06-04 08:00", "06-05 08:00"]
    assert "Hạn tổng hợp, báo cáo UBND tỉnh: hết ngày 07/06/2026 (còn 2 ngày làm việc); còn 3/3" in upward[0][1]
    assert "hôm nay là ngày làm việc cuối); còn 2/3" in upward[1][1] and "Phòng C" not in upward[1][1]
    for chat in ("A", "B", "Bhead", "C"):
        assert not [line for _, line in await received(people, world.chats[chat]) if line.startswith("📤")]


def _rows(db: Database, kind: str) -> list[Nudge]:
    return db.call(lambda session: session.exec(select(Nudge).where(Nudge.kind == kind).order_by(Nudge.due_at)).all())


def _said(db: Database, row: Nudge, now: datetime) -> str | None:
    def read(*, session):  # type: ignore[no-untyped-def]
        rendered = render(session, session.get(Nudge, row.id), now)
        return rendered.out.text if rendered.out else rendered.drop
    return db.call(read)


def test_the_last_day_upward_reminder_carries_that_mornings_escalation_one_message_not_two(
        sqlite_db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Q4/2026 of LEVELS: the units' report is late from Sunday 3/1, escalated on Monday 4/1, the office's own last
    day to report up. The coordinator gets one message that morning: the upward reminder, which names the units not
    reported (the escalation's list) and says the heads were reminded; the heads' escalations stay."""
    runner = imported(sqlite_db, tmp_path, monkeypatch, LEVELS)
    entries = planned(runner)
    monday = [(e["kind"], e["step"], e["unit"]) for e in entries if str(e["at"]).startswith("2027-01-04")]
    assert ("upward", "d1", "(đầu mối tổng hợp)") in monday
    assert ("escalation", "coordinator", "(đầu mối tổng hợp)") not in monday
    assert {("escalation", "head", unit) for unit in ("Phòng Kinh tế", "Phòng Nội vụ")} <= set(monday)
    coordinator = [e for e in entries if str(e["at"]).startswith("2027-01-04") and e["chats"] == [COORDINATOR_CHAT]
                   and e["kind"] in ("upward", "escalation")]
    assert len(coordinator) == 1

    for day in (date(2026, 12, 31), date(2027, 1, 4)):
        morning = datetime(day.year, day.month, day.day, 7, 0, tzinfo=VN_TZ)
        sqlite_db.call(lambda session, now=morning: plan_ahead(session=session, now=now, days=1))
    (last_day,) = [r for r in _rows(sqlite_db, "upward") if r.payload["offset"] == "d1"]
    assert last_day.payload["escalated"] == "2027-01-02"
    assert sorted(r.payload["render"] for r in _rows(sqlite_db, "escalation")) == ["escalation_head"] * 2
    text = _said(sqlite_db, last_day, datetime(2027, 1, 4, 8, 0, tzinfo=VN_TZ))
    assert text is not None and "hôm nay là ngày làm việc cuối" in text and "còn 2/2 đơn vị chưa báo cáo đủ" in text
    assert "Hạn báo cáo của các đơn vị đã hết ngày 02/01/2027; bot đã nhắc lãnh đạo" in text
    (earlier,) = [r for r in _rows(sqlite_db, "upward") if r.payload["offset"] == "d2"]
    assert "escalated" not in earlier.payload  # 31/12 is before the units' deadline: nothing to escalate yet


def test_the_escalation_stays_when_the_upward_reminders_fall_on_other_days(
        sqlite_db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # the office's last day Tuesday 5/1: d2 on Monday 4/1 (the escalation's day, not its last-day reminder), d1 5/1
    later = UPWARD_RULE.replace("trước ngày 04", "trước ngày 06")
    runner = imported(sqlite_db, tmp_path, monkeypatch, plan_text(f"{UNITS_RULE}; {later}"))
    coordinator = sorted((str(e["at"])[:10], e["kind"], e["step"]) for e in planned(runner)
                         if e["unit"] == "(đầu mối tổng hợp)" and e["kind"] in ("upward", "escalation"))
    assert coordinator == [("2027-01-04", "escalation", "coordinator"), ("2027-01-04", "upward", "d2"),
                           ("2027-01-05", "upward", "d1")]


THREE_LEVELS = plan_text(f"{UNITS_RULE}; {OFFICE} tổng hợp, báo cáo UBND huyện trước ngày 06 của tháng đầu quý sau;"
                         " UBND huyện báo cáo UBND tỉnh trước ngày 10 của tháng đầu quý sau")


def test_each_level_above_the_first_is_reminded_before_its_own_deadline(
        sqlite_db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Three deadlines: the units' (last day 2/1), the office's to UBND huyện (5/1), UBND huyện's to UBND tỉnh (9/1,
    a Saturday). UBND huyện is the issuer, not a registered unit with a chat: its reminders go to the coordinator,
    whose office drafts that report, and name it."""
    runner = imported(sqlite_db, tmp_path, monkeypatch, THREE_LEVELS)
    upward = [(str(e["at"])[:10], e["step"], e["level"], e["sender"], e["recipient"], e["deadline"], e["unit"],
               e["chats"]) for e in planned(runner) if e["kind"] == "upward"]
    office = (None, "UBND huyện", "2027-01-05", "(đầu mối tổng hợp)", [COORDINATOR_CHAT])
    district = ("UBND huyện", "UBND tỉnh", "2027-01-09", "UBND huyện (qua đầu mối tổng hợp)", [COORDINATOR_CHAT])
    assert upward == [("2027-01-04", "d2", 1, *office), ("2027-01-05", "d1", 1, *office),
                      ("2027-01-07", "L2-d2", 2, *district), ("2027-01-08", "L2-d1", 2, *district)]

    sqlite_db.call(lambda session: plan_ahead(session=session, now=datetime(2027, 1, 7, 7, 0, tzinfo=VN_TZ), days=2))
    rows = [r for r in _rows(sqlite_db, "upward") if r.payload.get("level") == 2]
    plan_id = rows[0].plan_id
    assert [r.key for r in rows] == [f"upward:p{plan_id}:2026-Q4:coord:L2-d{n}:telegram:{COORDINATOR_CHAT}"
                                     for n in (2, 1)]
    text = _said(sqlite_db, rows[0], datetime(2027, 1, 7, 8, 0, tzinfo=VN_TZ))
    assert text is not None
    assert "Hạn UBND huyện tổng hợp, báo cáo UBND tỉnh: hết ngày 09/01/2027 (còn 2 ngày làm việc)" in text


def test_a_higher_level_sent_by_a_registered_unit_is_reminded_in_that_units_chat(
        sqlite_db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The second level's sender is a unit with its own chat (Phòng Nội vụ, standing in for a body such as a Sở
    that compiles above the coordinator): its reminders go there, the coordinator's stay with the coordinator."""
    rule = (f"{UNITS_RULE}; {OFFICE} tổng hợp, báo cáo Phòng Nội vụ trước ngày 06 của tháng đầu quý sau;"
            " Phòng Nội vụ báo cáo UBND tỉnh trước ngày 10 của tháng đầu quý sau")
    runner = imported(sqlite_db, tmp_path, monkeypatch, plan_text(rule))

    def bind(*, session):  # type: ignore[no-untyped-def]
        unit = session.exec(select(Unit).where(Unit.name == "Phòng Nội vụ")).one()
        bind_chat(session=session, platform="telegram", chat_id="-1009", chat_type="group", unit_id=unit.id,
                  role="head", now=NOW)
    sqlite_db.call(bind)
    upward = sorted((e["step"], e["unit"], tuple(e["chats"])) for e in planned(runner) if e["kind"] == "upward")
    assert upward == [("L2-d1", "Phòng Nội vụ", ("-1009",)), ("L2-d2", "Phòng Nội vụ", ("-1009",)),
                      ("d1", "(đầu mối tổng hợp)", (COORDINATOR_CHAT,)),
                      ("d2", "(đầu mối tổng hợp)", (COORDINATOR_CHAT,))]
