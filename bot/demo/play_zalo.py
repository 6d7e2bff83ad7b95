"""The demo on Zalo: the same quarter, the same people, through the Zalo twin (bot/sandbox/zalo.py).

The bot side is what `nhacviec run` runs with ZALO_BOT_TOKEN: the Zalo connector, its long polling and the
outbox through the Zalo notifier. People join by sending the bare invite code and answer cards by typing
(a number for the last card, "NV3 ..." for another one); Zalo has no buttons and no edits.
"""

from __future__ import annotations

import asyncio
import re
from datetime import date, datetime, time
from typing import Any

from bot.adapters.zalo import ZaloConnector
from bot.adapters.zalo_api import ZaloClient
from bot.adapters.zalo_notifier import ZaloNotifier
from bot.adapters.zalo_polling import ZaloPoller
from bot.app import build_chat_deps
from bot.base import messages as msg
from bot.base.clock import VN_TZ, FixedClock
from bot.chat.service import ChatService
from bot.demo.personas import REPLIES, Persona
from bot.demo.play import Demo, DemoResult, invite_code
from bot.demo.transcript import Transcript, first_line
from bot.sandbox.limits import RateLimits
from bot.sandbox.zalo import ZaloTwin, ZaloTwinConfig
from bot.settings import Settings
from scheduler.dispatcher import Dispatcher
from scheduler.pacer import Limits
from scheduler.service import NudgeService
from storage.database import Database

ZALO_TOKEN = "1000000000000000001:DEMO-zalo-twin-token-not-a-secret"
_CARD_CODE = re.compile(r"Nhiệm vụ (\S+) — kỳ")


class ZaloTranscript(Transcript):
    """The transcript of Zalo chats: messages are the twin's (no edits, no documents on Zalo)."""

    async def flush(self, now: datetime) -> None:
        for chat_id, seen in self._seen.items():
            for message in await self.people.messages(chat_id):  # type: ignore[call-arg]
                if message["message_id"] not in seen:  # type: ignore[index]
                    seen[message["message_id"]] = 0  # type: ignore[index]
                    self.bot_messages += 1
                    self.say(now, f"🤖 → {self.names[chat_id]}: {first_line(message['text'])}")  # type: ignore[index]


class ZaloDemo(Demo):
    async def run(self) -> DemoResult:
        setup = self._setup()
        clock = setup.clock
        twin = ZaloTwin(ZaloTwinConfig(token=ZALO_TOKEN, limits=RateLimits(enabled=False), clock=clock))
        await twin.start()
        settings = Settings(database_url=setup.db.url, _env_file=None)  # type: ignore[call-arg]
        stop = asyncio.Event()
        try:
            async with ZaloClient(ZALO_TOKEN, twin.base_url) as client:
                connector = ZaloConnector(client, ChatService(build_chat_deps(settings, setup.db, clock)))
                # pacing in real seconds makes no sense on an accelerated clock
                nudges = NudgeService(setup.db, Dispatcher(setup.db, ZaloNotifier(client), clock,
                                                           limits=Limits.off(), tz=VN_TZ), clock, tz=VN_TZ)
                polling = asyncio.create_task(ZaloPoller(connector, timeout=1).run(stop))  # as `nhacviec run`
                try:
                    async with twin.people() as people:
                        transcript = ZaloTranscript(people, VN_TZ, self.echo,  # type: ignore[arg-type]
                                                    self.out_dir / "hoi-thoai.txt")
                        self.echo(f"Kế hoạch: {setup.plan_label} — trên Zalo (sandbox)")
                        self.echo(f"Kỳ báo cáo: {setup.period.key}, hạn {setup.period.cutoff:%d/%m/%Y}; "
                                  f"{len(setup.units)} đơn vị chủ trì.")
                        personas = await self._join(setup.db, people, transcript, setup.plan_id,  # type: ignore[arg-type]
                                                    setup.units, clock)
                        await self._play(clock, nudges, people, transcript, personas,  # type: ignore[arg-type]
                                         setup.period, setup.end_day)
                        files = self._write_files(setup.db, setup.plan_id, setup.period.key, clock.now())
                        transcript.close()
                finally:
                    stop.set()
                    await polling
        finally:
            await twin.stop()
        return self._result(setup, transcript.bot_messages, files)

    async def _new_user(self, people: Any, name: str) -> Any:
        return await people.create_user(name)

    async def _start(self, db: Database, people: Any, user_id: Any, unit: str, role: str,
                     clock: FixedClock) -> None:
        await people.say(user_id, invite_code(db, unit, role, clock))  # the bare code: no /start needed
        await people.wait_for(user_id, 1)

    async def _act(self, persona: Persona, people: Any, transcript: Any, now: datetime, cutoff: date) -> None:
        """Answer the unanswered cards by typing: the newest by its number, the others by task code."""
        when = {"buttons": time(9, 0), "reply": time(10, 0), "blocked": time(14, 0), "unclear": time(9, 30),
                "late": time(9, 0)}.get(persona.behaviour)
        if when is None or now.time() < when or (persona.behaviour == "late" and now.date() <= cutoff):
            return
        latest: dict[str, str] = {}  # task code -> card id
        for message in await people.messages(persona.chat_id):
            found = _CARD_CODE.search(message["text"])
            if found and msg.TYPED_STATUS_ANSWERS in message["text"] and message["message_id"] not in persona.handled:
                latest[found.group(1)] = message["message_id"]
                persona.handled.add(message["message_id"])
        for number, code in enumerate(reversed(list(latest))):
            if persona.behaviour == "buttons":
                text = ("1" if number == 0 else f"NV{code} đang thực hiện")
            elif persona.behaviour == "unclear" and number == 0:
                await self._type(persona, people, transcript, now, f"NV{code} ok")
                text = "2"  # the bot asked back with numbered answers: "2 Đang thực hiện"
            else:
                texts = REPLIES.get(persona.behaviour) or REPLIES["reply"]
                text = f"NV{code} {texts[number % len(texts)]}"
            await self._type(persona, people, transcript, now, text)

    async def _type(self, persona: Persona, people: Any, transcript: Any, now: datetime, text: str) -> None:
        before = len(await people.messages(persona.chat_id))
        transcript.say(now, f"💬 {persona.label()} gõ: «{text}»")
        await people.say(persona.staff_id, text)
        await people.wait_for(persona.chat_id, before + 1)
