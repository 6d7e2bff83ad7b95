"""The one route table (handlers/): both connectors build their registrations from it, and handlers/ stays
platform-neutral."""

from __future__ import annotations

import ast
from pathlib import Path

from telegram.ext import ApplicationBuilder, CallbackQueryHandler, CommandHandler

import handlers
from bot.adapters import zalo
from bot.adapters.telegram import register
from bot.base.chat import Incoming

ROOT = Path(__file__).resolve().parents[2]


def _event(text: str) -> Incoming:
    return Incoming(platform="zalo", chat_id="c1", chat_type="private", user_id="u1", user_name="Lan",
                    update_key="msg:c1:1", message_id="1", text=text)


def test_telegram_and_zalo_know_the_same_commands() -> None:
    app = ApplicationBuilder().token("123:routes-test").build()
    register(app, handlers.ROUTES)
    registered = [h for group in app.handlers.values() for h in group]
    telegram_names = {name for h in registered if isinstance(h, CommandHandler) for name in h.commands}
    assert telegram_names == set(zalo.COMMANDS) and {"nhacnho", "yeucau", "baocao", "start"} <= telegram_names
    nudge = next(h for h in registered if isinstance(h, CommandHandler) and "nhacnho" in h.commands)
    assert nudge.callback.__name__ == "handle_nudge"
    buttons = [h for h in registered if isinstance(h, CallbackQueryHandler)]
    # the buttons with their own prefix are tried before report's, which takes every other button
    assert [h.pattern.pattern if h.pattern else None for h in buttons] == [r"^imp\|", r"^moi\|", None]


def test_zalo_routes_a_typed_command_with_its_arguments_and_anything_else_to_typed() -> None:
    found, event = zalo.route(_event("/tonghop@nhacviec_bot Q2 2026"))
    assert found.step.__name__ == "handle_summary" and event.args == ("Q2", "2026")
    found, event = zalo.route(_event("NV3 xong"))
    assert found.on == "typed" and found.guarded is False and event.text == "NV3 xong"
    found, _ = zalo.route(_event("/nhacnho"))
    assert found.wakes_outbox is True


def test_no_feature_module_imports_telegram() -> None:
    for path in sorted((ROOT / "handlers").glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else (
                [node.module or ""] if isinstance(node, ast.ImportFrom) else [])
            assert not any(n.split(".")[0] == "telegram" for n in names), path.name
