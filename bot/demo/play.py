"""Play one reporting period on an accelerated clock: the real bot, the real scheduler, simulated people.

Everything goes over HTTP through the local Bot API sandbox, exactly as with Telegram: the bot long-polls
the sandbox, the scheduler sends nudges through it, and the simulated staff press buttons and reply in it.
Only the clock is simulated (a FixedClock moved in 30-minute steps through working hours).
"""

from __future__ import annotations

import asyncio
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from importlib import resources
from pathlib import Path
from typing import Any

from sqlmodel import select

from bot.adapters.polling import DurablePoller
from bot.adapters.telegram_notifier import TelegramNotifier
from bot.app import build_application, running
from bot.base.clock import VN_TZ, FixedClock
from bot.calendar import is_working_day, working_days_before
from bot.demo.personas import REPLIES, Persona, cast
from bot.demo.transcript import Transcript, first_line
from bot.importer.service import commit_import, preview_import
from bot.periods import ensure_periods, unit_task_lines
from bot.sandbox import RateLimits, SandboxConfig, SandboxServer
from bot.sandbox.client import ChatMessage, SandboxClient
from bot.settings import Settings
from bot.summary.build import build_summary
from bot.summary.render_docx import render_docx
from bot.summary.render_json import render_json
from bot.summary.render_png import render_png
from bot.summary.render_text import render_text
from bot.summary.render_xlsx import render_xlsx
from scheduler.dispatcher import Dispatcher
from scheduler.pacer import Limits
from scheduler.service import NudgeService
from storage.database import Database
from storage.members import create_invite
from storage.migrate import upgrade
from storage.models import Plan, ReportingPeriodRow, StatusReport, TaskAssignment, Unit
from storage.units import add_unit, find_unit

TOKEN = "100000001:DEMO-sandbox-token-not-a-secret"
STEP = timedelta(minutes=30)
DAY_START, DAY_END = time(7, 30), time(17, 30)


@dataclass
class Setup:
    db: Database
    plan_id: int
    plan_label: str
    period: ReportingPeriodRow
    units: list[str]
    clock: FixedClock
    end_day: date


@dataclass
class DemoResult:
    plan: str
    period: str
    units: int
    bot_messages: int
    reports: int
    late: int
    files: list[Path]


def sample_plan() -> tuple[str, bytes]:
    data = resources.files("bot.demo").joinpath("ke_hoach_mau.txt").read_bytes()
    return "ke_hoach_mau.txt", data


def _import(db: Database, name: str, data: bytes, now: datetime) -> tuple[int, str]:
    """Import the plan, registering its units (and its coordinating department) on the way."""
    with db.session() as session:
        preview = preview_import(data, name, session=session)
        coordinator = preview.plan.meta.coordinator
        if coordinator and find_unit(session=session, name=coordinator) is None:
            add_unit(session=session, name=coordinator, now=now)
    with db.session() as session:
        preview = preview_import(data, name, session=session)
        result = commit_import(preview, session=session, now=now, create_units=True)
        plan = session.get(Plan, result.save.plan_id)
        assert plan is not None
        if plan.coordinator_unit_id is None:  # no coordinator in the text: the first lead unit coordinates
            first = session.exec(select(TaskAssignment.unit_id).where(TaskAssignment.role == "lead")).first()
            plan.coordinator_unit_id = first
        return result.save.plan_id, f"{plan.number or ''} {plan.title}".strip()


def _period_to_play(db: Database, plan_id: int, now: datetime) -> ReportingPeriodRow:
    """The plan's mid-year period: the shortest one whose cutoff falls on or after 1 June of the plan year."""
    with db.session() as session:
        plan = session.get(Plan, plan_id)
        assert plan is not None
        periods = ensure_periods(session=session, plan=plan, years=[plan.year], now=now)
        later = [p for p in periods if p.cutoff >= date(plan.year, 6, 1)] or periods
        return min(later, key=lambda p: (p.cutoff, p.end - p.start))


def _units_to_nudge(db: Database, plan_id: int, period: ReportingPeriodRow) -> list[str]:
    with db.session() as session:
        lead_ids = session.exec(select(TaskAssignment.unit_id).where(TaskAssignment.role == "lead").distinct()).all()
        names = []
        for unit_id in lead_ids:
            if unit_task_lines(session=session, plan_id=plan_id, unit_id=unit_id, period=period):
                unit = session.get(Unit, unit_id)
                assert unit is not None
                names.append(unit.name)
        return sorted(names)


def invite_code(db: Database, unit: str, role: str, clock: FixedClock) -> str:
    """A fresh single-use invite for `unit` and `role`."""
    code = secrets.token_urlsafe(8)

    def invite(*, session):  # type: ignore[no-untyped-def]
        found = find_unit(session=session, name=unit)
        assert found is not None and found.id is not None
        create_invite(session=session, unit_id=found.id, role=role, code=code, now=clock.now(),
                      expires_at=clock.now() + timedelta(days=7))

    db.call(invite)
    return code


class Demo:
    def __init__(self, out_dir: Path, echo: Callable[[str], None], plan_file: Path | None = None,
                 max_units: int = 8) -> None:
        self.out_dir, self.echo, self.plan_file, self.max_units = out_dir, echo, plan_file, max_units

    def _setup(self) -> Setup:
        """A fresh demo database with the plan imported, the period to play, its units and the clock."""
        self.out_dir.mkdir(parents=True, exist_ok=True)
        db_path = self.out_dir / "demo.db"
        for stale in self.out_dir.glob("demo.db*"):
            stale.unlink()
        db = Database(f"sqlite:///{db_path}")
        upgrade(db)
        name, data = (self.plan_file.name, self.plan_file.read_bytes()) if self.plan_file else sample_plan()
        setup_time = datetime(2026, 1, 20, 9, 0, tzinfo=VN_TZ)
        plan_id, plan_label = _import(db, name, data, setup_time)
        period = _period_to_play(db, plan_id, setup_time)
        units = _units_to_nudge(db, plan_id, period)[: self.max_units]
        start = datetime.combine(working_days_before(period.cutoff, 8), time(7, 0), VN_TZ)
        return Setup(db, plan_id, plan_label, period, units, FixedClock(start), period.cutoff + timedelta(days=3))

    def _result(self, setup: Setup, bot_messages: int, files: list[Path]) -> DemoResult:
        with setup.db.session() as session:
            reports = session.exec(select(StatusReport).where(StatusReport.period_id == setup.period.id)).all()
        setup.db.dispose()
        return DemoResult(setup.plan_label, setup.period.key, len(setup.units), bot_messages, len(reports),
                          sum(r.late for r in reports), files)

    async def _new_user(self, people: Any, name: str) -> Any:
        return (await people.create_user(name)).id

    async def run(self) -> DemoResult:
        setup = self._setup()
        db, plan_id, plan_label, period, units = setup.db, setup.plan_id, setup.plan_label, setup.period, setup.units
        clock, end_day = setup.clock, setup.end_day
        sandbox = SandboxServer(SandboxConfig(token=TOKEN, limits=RateLimits(enabled=False), clock=clock))
        await sandbox.start()
        settings = Settings(database_url=db.url, telegram_api_base_url=sandbox.bot_api_url,
                            _env_file=None)  # type: ignore[call-arg]
        app = build_application(settings, token=TOKEN, clock=clock, database=db)
        # pacing in real seconds makes no sense on an accelerated clock; bench_fanout measures it instead
        nudges = NudgeService(db, Dispatcher(db, TelegramNotifier(app.bot), clock, limits=Limits.off(), tz=VN_TZ),
                              clock, tz=VN_TZ)
        try:
            async with running(app):
                stop = asyncio.Event()
                polling = asyncio.create_task(DurablePoller(app, timeout=1).run(stop))  # as `nhacviec run` does
                try:
                    async with sandbox.client() as people:
                        transcript = Transcript(people, VN_TZ, self.echo, self.out_dir / "hoi-thoai.txt")
                        self.echo(f"Kế hoạch: {plan_label}")
                        self.echo(f"Kỳ báo cáo: {period.key}, hạn {period.cutoff:%d/%m/%Y}; "
                                  f"{len(units)} đơn vị chủ trì.")
                        personas = await self._join(db, people, transcript, plan_id, units, clock)
                        await self._play(clock, nudges, people, transcript, personas, period, end_day)
                        result_files = self._write_files(db, plan_id, period.key, clock.now())
                        transcript.close()
                finally:
                    stop.set()
                    await polling
        finally:
            await sandbox.stop()
        return self._result(setup, transcript.bot_messages, result_files)

    async def _join(self, db: Database, people: SandboxClient, transcript: Transcript, plan_id: int,
                    units: list[str], clock: FixedClock) -> list[Persona]:
        """Invite everyone: a coordinator, and a staff member and a head per unit, each with /start CODE."""
        with db.session() as session:
            plan = session.get(Plan, plan_id)
            assert plan is not None and plan.coordinator_unit_id is not None
            coordinator_unit = session.get(Unit, plan.coordinator_unit_id)
            assert coordinator_unit is not None
            coordinator_name = coordinator_unit.name
        personas = cast(units)
        coordinator = await self._new_user(people, "Đầu mối")
        transcript.watch(coordinator, f"Đầu mối ({coordinator_name})")
        await self._start(db, people, coordinator, coordinator_name, "coordinator", clock)
        for persona in personas:
            staff = await self._new_user(people, persona.staff)
            head = await self._new_user(people, persona.head)
            persona.staff_id, persona.head_id, persona.chat_id = staff, head, staff
            transcript.watch(staff, persona.label())
            transcript.watch(head, f"{persona.head} (lãnh đạo {persona.unit})")
            await self._start(db, people, staff, persona.unit, "staff", clock)
            await self._start(db, people, head, persona.unit, "head", clock)
        transcript.note(f"Đã mời và gắn {len(personas) * 2 + 1} người dùng (mỗi đơn vị: 1 cán bộ, 1 lãnh đạo; "
                        "1 đầu mối tổng hợp) bằng mã mời /start.")
        for persona in personas:
            transcript.note(f"  • {persona.unit}: {persona.staff} — {_BEHAVIOUR_VI[persona.behaviour]}")
        await transcript.flush(clock.now())
        return personas

    async def _start(self, db: Database, people: SandboxClient, user_id: int, unit: str, role: str,
                     clock: FixedClock) -> None:
        code = invite_code(db, unit, role, clock)
        await people.start(user_id, code)
        await people.wait_for_messages(user_id, 1, timeout=10)


    async def _play(self, clock: FixedClock, nudges: NudgeService, people: SandboxClient, transcript: Transcript,
                    personas: list[Persona], period: ReportingPeriodRow, end_day: date) -> None:
        day = clock.now().date()
        total = (end_day - day).days + 1
        for index in range(total):
            current = day + timedelta(days=index)
            bar = "█" * (index + 1) + "░" * (total - index - 1)
            rest = "" if is_working_day(current) else "  (nghỉ: cuối tuần hoặc ngày lễ)"
            transcript.note(f"[{bar}] {current:%d/%m/%Y} {_WEEKDAYS[current.weekday()]}{rest}")
            if not is_working_day(current):
                continue
            moment = datetime.combine(current, DAY_START, VN_TZ)
            while moment.time() <= DAY_END:
                clock.set(moment)
                await nudges.tick()
                await transcript.flush(moment)
                for persona in personas:
                    await self._act(persona, people, transcript, moment, period.cutoff)
                await transcript.flush(moment)
                moment += STEP

    async def _act(self, persona: Persona, people: SandboxClient, transcript: Transcript, now: datetime,
                   cutoff: date) -> None:
        """Answer the unanswered task cards in the unit's chat, if it is this persona's time to."""
        if persona.behaviour == "reply" and persona.first_reply and not persona.edited \
                and now.date() > persona.first_reply[1] and now.time() >= time(11, 0):
            await self._edit(persona, people, transcript, now)
        when = {"buttons": time(9, 0), "reply": time(10, 0), "blocked": time(14, 0), "unclear": time(9, 30),
                "late": time(9, 0)}.get(persona.behaviour)
        if when is None or now.time() < when or (persona.behaviour == "late" and now.date() <= cutoff):
            return
        latest: dict[str, ChatMessage] = {}  # one answer per task: the newest card of each
        for message in await people.messages(persona.chat_id, sender="bot"):
            task = next((str(b["callback_data"]).split("|")[1] for b in message.buttons
                         if str(b.get("callback_data", "")).startswith("s|")), None)
            if task is not None and message.id not in persona.handled:
                latest[task] = message
                persona.handled.add(message.id)
        for number, message in enumerate(latest.values()):
            if persona.behaviour == "buttons":
                label = "Hoàn thành" if number == 0 else "Đang thực hiện"
                await self._press(persona, people, transcript, now, message, label)
            elif persona.behaviour == "unclear" and number == 0:
                await self._reply(persona, people, transcript, now, message, "ok")
                question = (await people.messages(persona.chat_id, sender="bot"))[-1]
                persona.handled.add(question.id)
                await self._press(persona, people, transcript, now, question, "Đang thực hiện")
            else:
                texts = REPLIES.get(persona.behaviour) or REPLIES["reply"]
                await self._reply(persona, people, transcript, now, message, texts[number % len(texts)])

    async def _press(self, persona: Persona, people: SandboxClient, transcript: Transcript, now: datetime,
                     message: ChatMessage, label: str) -> None:
        data = next(b["callback_data"] for b in message.buttons if b["text"] == label)
        transcript.say(now, f"👆 {persona.label()} bấm «{label}» ({first_line(message.text, 40)})")
        press = await people.press_button(persona.chat_id, message, persona.staff_id, data=data)
        await people.callback_answer(press["id"], timeout=10)

    async def _reply(self, persona: Persona, people: SandboxClient, transcript: Transcript, now: datetime,
                     message: ChatMessage, text: str) -> None:
        before = len(await people.messages(persona.chat_id, sender="bot"))
        transcript.say(now, f"💬 {persona.label()} trả lời: «{text}»")
        sent = await people.reply(persona.chat_id, persona.staff_id, message, text)
        persona.first_reply = persona.first_reply or (sent, now.date())
        await people.wait_for_messages(persona.chat_id, before + 1, timeout=10)

    async def _edit(self, persona: Persona, people: SandboxClient, transcript: Transcript, now: datetime) -> None:
        """Staff correct an earlier reply: the edit is read again and recorded as a new version."""
        assert persona.first_reply is not None
        persona.edited = True
        before = len(await people.messages(persona.chat_id, sender="bot"))
        text = "xong roi, da hoan thanh 100%"
        transcript.say(now, f"✏️ {persona.label()} sửa tin đã trả lời thành: «{text}»")
        await people.edit_text(persona.chat_id, persona.staff_id, persona.first_reply[0], text)
        await people.wait_for_messages(persona.chat_id, before + 1, timeout=10)

    def _write_files(self, db: Database, plan_id: int, period_key: str, now: datetime) -> list[Path]:
        with db.session() as session:
            summary = build_summary(session=session, plan_id=plan_id, period_key=period_key, now=now)
        stem = self.out_dir / f"tong-hop-{period_key}"
        files = {
            ".txt": "\n\n".join(render_text(summary, html=False)).encode(),
            ".json": render_json(summary).encode(),
            ".xlsx": render_xlsx(summary),
            ".docx": render_docx(summary),
            ".png": render_png(summary),
        }
        written = []
        for suffix, content in files.items():
            path = stem.with_suffix(suffix)
            path.write_bytes(content)
            written.append(path)
        return written


_WEEKDAYS = ("Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ Nhật")
_BEHAVIOUR_VI = {
    "buttons": "trả lời bằng nút bấm",
    "reply": "trả lời bằng câu ngắn không dấu",
    "blocked": "báo vướng mắc (kinh phí, hướng dẫn)",
    "late": "báo cáo muộn, sau hạn",
    "unclear": "trả lời mơ hồ «ok», bot hỏi lại",
    "silent": "im lặng (bot báo lãnh đạo và đầu mối)",
}
