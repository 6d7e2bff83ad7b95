"""The Zalo connector against the platform's documented shapes, not against our twin.

Sources (public copies; the official pages are at bot.zaloplatforms.com/docs, not reachable from here):
- DOCS: a copy of the Zalo Bot Platform API documentation ("Cập nhật lần cuối: 10/12/2025"), repository
  XuanNguyenNB/QuanLyThuChi_Bot_Telegram_Zalom, docs/ZALO_BOT_API.md: base URL, token `{bot_id}:{access_token}`,
  the getUpdates sample (`result.message`, no event_name, `from.first_name`), setWebhook (`url`, `secret_token`
  of 8-256 characters, header X-Bot-Api-Secret-Token), the sendMessage/sendPhoto samples and their answers.
- HOOK_DOC: the documentation's webhook sample as quoted by public projects (`{"ok": true, "result":
  {"message": {..., "from": {"display_name", "is_bot"}}, "event_name": "message.text.received"}}`).
- BARE: openclaw/openclaw extensions/zalo/src/monitor.webhook.ts ("Zalo sends updates directly as
  { event_name, message, ... }, not wrapped in { ok, result }") and other clients' tests: the bare event.
- SDK: zalobot-python (NovaH00/zalobot-python, src/zalobot_python/types/entities.py): From{id, display_name,
  is_bot}, Chat{id, chat_type}, Message{message_id: str, date: int}, the four event names.
- POLL: public clients' tests quoting a real bot: an empty long poll is `{"ok": false, "description": "Request
  timeout", "error_code": 408}` with HTTP 408 or HTTP 200, `error_code` also as a string, or `{"ok": true,
  "result": {}}`; errors `{"ok": false, "description": "Bad request: ...", "error_code": 400}`; an unknown
  method 404 in the body with HTTP 200; a 429 from a proxy as an HTML page. openclaw's api.ts: 408 is
  "a long-polling timeout (no updates available)".
"""

from __future__ import annotations

import json
import socket
from collections.abc import Callable
from typing import Any

import httpx
import pytest

from bot.adapters.zalo import ZaloConnector, to_incoming, unwrap
from bot.adapters.zalo_api import ZaloClient, ZaloError, ZaloNetworkError, ZaloRateLimited
from bot.adapters.zalo_webhook import SECRET_HEADER, ZaloWebhook
from bot.app import build_chat_deps
from bot.base.clock import FixedClock
from bot.chat.service import ChatService
from bot.sandbox.limits import RateLimits
from bot.sandbox.zalo import ZaloTwin, ZaloTwinConfig
from bot.settings import Settings
from storage.database import Database
from tests.zalo.conftest import NUDGE_TIME, seed_world

TOKEN = "1459232241454765289:documented-shape-token"  # DOCS: {bot_id}:{access_token}
SECRET = "mykey-abcxyz"  # DOCS: setWebhook's sample secret_token (8-256 characters)

# DOCS, getUpdates "Sample Response"
POLL_SAMPLE = {
    "ok": True,
    "result": {
        "message": {
            "chat": {"id": "e4ea2cd5189df1c3a88c", "chat_type": "PRIVATE"},
            "text": "Xin chào",
            "message_id": "16f6366b3f02645a3d15",
            "date": 1766619597466,
            "from": {"id": "e4ea2cd5189df1c3a88c", "first_name": "Nguyen Van A"},
        }
    },
}
# HOOK_DOC, the webhook's sample request
HOOK_SAMPLE = {
    "ok": True,
    "result": {
        "message": {
            "from": {"id": "6ede9afa66b88fe6d6a9", "display_name": "Ted", "is_bot": False},
            "chat": {"id": "6ede9afa66b88fe6d6a9", "chat_type": "PRIVATE"},
            "text": "checkin",
            "message_id": "2d758cb5e222177a4e35",
            "date": 1750316131602,
        },
        "event_name": "message.text.received",
    },
}
EMPTY_POLL = {"ok": False, "description": "Request timeout", "error_code": 408}  # POLL
SENT = {"ok": True, "result": {"message_id": "82599fa32f56d00e8941", "date": 1749632637199}}  # DOCS


def _client(answer: Callable[[httpx.Request], httpx.Response], seen: list[httpx.Request] | None = None) -> ZaloClient:
    def handle(request: httpx.Request) -> httpx.Response:
        if seen is not None:
            seen.append(request)
        return answer(request)

    return ZaloClient(TOKEN, "https://bot-api.zaloplatforms.com", transport=httpx.MockTransport(handle))


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.mark.parametrize(
    "status,body",
    [
        (408, EMPTY_POLL),  # POLL: verbatim from a real bot, HTTP 408
        (200, EMPTY_POLL),  # POLL: the same body with HTTP 200
        (200, {**EMPTY_POLL, "error_code": "408"}),  # POLL: error_code as a string
        (200, {"ok": True, "result": {}}),  # POLL: an empty envelope
    ],
)
async def test_get_updates_with_nothing_to_deliver_is_no_update_not_an_error(status: int, body: Any) -> None:
    seen: list[httpx.Request] = []
    async with _client(lambda request: httpx.Response(status, json=body), seen) as client:
        assert await client.get_updates(30) == []
    assert seen[0].method == "POST" and seen[0].url.path == f"/bot{TOKEN}/getUpdates"
    assert json.loads(seen[0].content) == {"timeout": "30"}  # DOCS: timeout is a String, in seconds


async def test_the_documented_get_updates_sample_is_one_message_read_as_text() -> None:
    async with _client(lambda request: httpx.Response(200, json=POLL_SAMPLE)) as client:
        (update,) = await client.get_updates(30)
    event = to_incoming(update)
    assert event is not None
    assert (event.platform, event.chat_id, event.chat_type, event.user_id, event.user_name, event.text) == (
        "zalo",
        "e4ea2cd5189df1c3a88c",
        "private",
        "e4ea2cd5189df1c3a88c",
        "Nguyen Van A",
        "Xin chào",
    )
    assert event.message_id == "16f6366b3f02645a3d15"
    assert event.update_key == "msg:e4ea2cd5189df1c3a88c:16f6366b3f02645a3d15"


@pytest.mark.parametrize("payload", [HOOK_SAMPLE, HOOK_SAMPLE["result"]], ids=["documented-envelope", "bare"])
def test_both_webhook_bodies_give_the_same_event(payload: dict[str, Any]) -> None:
    update = unwrap(payload)
    assert update is not None
    event = to_incoming(update)
    assert event is not None
    assert (event.chat_id, event.user_id, event.user_name, event.text, event.chat_type) == (
        "6ede9afa66b88fe6d6a9",
        "6ede9afa66b88fe6d6a9",
        "Ted",
        "checkin",
        "private",
    )


def test_group_chats_bots_and_other_events() -> None:
    message = HOOK_SAMPLE["result"]["message"]
    group = {"event_name": "message.text.received", "message": {**message, "chat": {"id": "g1", "chat_type": "GROUP"}}}
    event = to_incoming(group)
    assert event is not None and event.chat_type == "group" and event.chat_id == "g1"
    from_a_bot = {
        "event_name": "message.text.received",
        "message": {**message, "from": {**message["from"], "is_bot": True}},
    }
    assert to_incoming(from_a_bot) is None  # SDK: from.is_bot
    named = {"message": {**message, "from": {"id": "u9", "name": "Bình"}}}  # openclaw's ZaloMessage: from.name
    event = to_incoming(named)
    assert event is not None and event.user_name == "Bình"
    for other in ("message.image.received", "message.sticker.received", "message.unsupported.received"):  # SDK
        event = to_incoming({"event_name": other, "message": {**message, "photo_url": "https://x.test/a.jpg"}})
        assert event is not None and event.text == ""  # the bot reads only text: it answers so in private


async def test_requests_follow_the_documented_parameters() -> None:
    seen: list[httpx.Request] = []
    async with _client(lambda request: httpx.Response(200, json=SENT), seen) as client:
        assert await client.send_message("abc.xyz", "Hello") == "82599fa32f56d00e8941"
        assert await client.send_photo("abc.xyz", "https://placehold.co/600x400", "My photo") == "82599fa32f56d00e8941"
    async with _client(
        lambda request: httpx.Response(
            200, json={"ok": True, "result": {"url": "https://your-webhookurl.com", "updated_at": 1749538250568}}
        ),
        seen,
    ) as client:
        await client.set_webhook("https://your-webhookurl.com", SECRET)
    async with _client(lambda request: httpx.Response(200, json={"ok": True}), seen) as client:
        await client.send_chat_action("abc.xyz")  # DOCS: the answer is {"ok": true}, no result
    assert [(r.url.path.rsplit("/", 1)[1], json.loads(r.content)) for r in seen] == [
        ("sendMessage", {"chat_id": "abc.xyz", "text": "Hello"}),
        ("sendPhoto", {"chat_id": "abc.xyz", "photo": "https://placehold.co/600x400", "caption": "My photo"}),
        ("setWebhook", {"url": "https://your-webhookurl.com", "secret_token": SECRET}),
        ("sendChatAction", {"chat_id": "abc.xyz", "action": "typing"}),
    ]
    assert all(r.method == "POST" for r in seen)


@pytest.mark.parametrize(
    "status,body,expected,code",
    [
        (
            200,
            {"ok": False, "description": "Bad request: The chat_id must not be empty", "error_code": 400},
            ZaloError,
            400,
        ),  # POLL: an error in the body with HTTP 200
        (
            400,
            {"ok": False, "description": "Bad request: The chat_id must not be empty", "error_code": 400},
            ZaloError,
            400,
        ),
        (200, {"ok": False, "description": "Not Found", "error_code": 404}, ZaloError, 404),  # POLL: unknown method
        (200, {"ok": False, "message": "token không hợp lệ"}, ZaloError, 400),  # POLL: `message`, no error_code
        (429, "<html><head><title>429 Too Many Requests</title></head></html>", ZaloRateLimited, 429),  # POLL
        (200, {"ok": False, "description": "Quota exceeded", "error_code": 429}, ZaloRateLimited, 429),
        (502, "<html>bad gateway</html>", ZaloNetworkError, None),
    ],
)
async def test_error_answers(status: int, body: Any, expected: type[Exception], code: int | None) -> None:
    content = body if isinstance(body, str) else json.dumps(body)
    async with _client(lambda request: httpx.Response(status, content=content)) as client:
        with pytest.raises(expected) as raised:
            await client.send_message("abc.xyz", "Hello")
    if code is not None:
        assert isinstance(raised.value, ZaloError) and raised.value.code == code
    if isinstance(body, dict) and isinstance(raised.value, ZaloError):
        assert raised.value.description == (body.get("description") or body.get("message"))
    assert TOKEN not in str(raised.value)


async def test_a_408_on_another_method_is_still_an_error() -> None:
    async with _client(lambda request: httpx.Response(408, json=EMPTY_POLL)) as client:
        with pytest.raises(ZaloError) as raised:
            await client.send_message("abc.xyz", "Hello")
    assert raised.value.code == 408


@pytest.mark.parametrize("envelope", ["result", "bare"])
async def test_the_webhook_answers_both_bodies(db: Database, envelope: str) -> None:
    """The documented samples posted to a running webhook, and the twin's people speaking in either envelope."""
    clock = FixedClock(NUDGE_TIME)
    seed_world(db, clock)
    port = _free_port()
    twin = ZaloTwin(ZaloTwinConfig(token=TOKEN, limits=RateLimits(enabled=False), webhook_envelope=envelope))  # type: ignore[arg-type]
    await twin.start()
    settings = Settings(database_url=db.url, _env_file=None)  # type: ignore[call-arg]
    url = f"http://127.0.0.1:{port}/zalo"
    async with ZaloClient(TOKEN, twin.base_url) as client:
        connector = ZaloConnector(client, ChatService(build_chat_deps(settings, db, clock)))
        hook = ZaloWebhook(connector, url=url, listen="127.0.0.1", port=port, secret=SECRET)
        await hook.start()
        try:
            ted = twin.create_user("Ted")
            sample = json.loads(json.dumps(HOOK_SAMPLE).replace("6ede9afa66b88fe6d6a9", ted))
            body = sample if envelope == "result" else sample["result"]
            async with httpx.AsyncClient() as raw:  # answered once handled: the reply is there when it returns
                answer = await raw.post(url, json=body, headers={SECRET_HEADER: SECRET})
                assert answer.status_code == 200
                assert len(twin.bot_messages(ted)) == 1
                again = await raw.post(url, json=body, headers={SECRET_HEADER: SECRET})  # the same message id
                assert again.status_code == 200 and len(twin.bot_messages(ted)) == 1
            twin.say(ted, "xin chào")  # pushed by the twin in its envelope
            async with twin.people() as people:
                got = await people.wait_for(ted, 2)
        finally:
            await hook.stop()
    await twin.stop()
    assert all("chưa được đăng ký" in m["text"] for m in got), [m["text"][:60] for m in got]


async def test_the_twin_answers_in_the_documented_shapes() -> None:
    async with ZaloTwin(ZaloTwinConfig(token=TOKEN, limits=RateLimits(enabled=False))) as twin:
        ted = twin.create_user("Ted")
        async with httpx.AsyncClient(base_url=f"{twin.base_url}/bot{TOKEN}") as raw:
            empty = await raw.post("/getUpdates", json={"timeout": "0"})
            assert (empty.status_code, empty.json()) == (408, EMPTY_POLL)  # POLL
            sent = (await raw.post("/sendMessage", json={"chat_id": ted, "text": "Hello"})).json()
            assert sent["ok"] is True and set(sent["result"]) == {"message_id", "date"}  # DOCS
            assert isinstance(sent["result"]["message_id"], str) and sent["result"]["date"] > 10**12  # milliseconds
            action = await raw.post("/sendChatAction", json={"chat_id": ted, "action": "typing"})
            assert action.json() == {"ok": True}  # DOCS
            hook = (
                await raw.post("/setWebhook", json={"url": "https://your-webhookurl.com", "secret_token": SECRET})
            ).json()
            assert hook["ok"] is True and set(hook["result"]) == {"url", "updated_at"}  # DOCS
            await raw.post("/deleteWebhook", json={})
            refused = await raw.post("/sendMessage", json={"chat_id": ted, "text": ""})
            assert set(refused.json()) == {"ok", "error_code", "description"} and refused.json()["ok"] is False
            twin.say(ted, "checkin")
            update = (await raw.post("/getUpdates", json={"timeout": "1"})).json()["result"]
    assert update["event_name"] == "message.text.received"
    assert set(update["message"]) == {"message_id", "date", "text", "chat", "from"}  # HOOK_DOC, SDK
    assert update["message"]["chat"] == {"id": ted, "chat_type": "PRIVATE"}
    assert update["message"]["from"] == {"id": ted, "display_name": "Ted", "is_bot": False}
