"""The wire format: parameters as query, JSON, form or multipart; error shapes; the people's side over HTTP."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest

from bot.cli import main as cli_main
from bot.sandbox import SandboxClient, SandboxError, SandboxServer, SandboxTimeout
from bot.sandbox.markup import detect_entities, parse_html

from .conftest import TOKEN


@pytest.fixture
async def http(sandbox: SandboxServer) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=sandbox.base_url, timeout=5) as client:
        yield client


async def test_parameters_in_every_encoding_and_any_case(http: httpx.AsyncClient, people: SandboxClient) -> None:
    lan = await people.create_user("Lan")
    await people.private_chat(lan)
    markup = '{"inline_keyboard": [[{"text": "A", "callback_data": "a"}]]}'
    answers = [
        await http.get(f"/bot{TOKEN}/sendmessage", params={"chat_id": lan.id, "text": "qua query"}),
        await http.post(f"/bot{TOKEN}/SENDMESSAGE", json={"chat_id": lan.id, "text": "qua JSON",
                                                           "reply_markup": {"inline_keyboard": [[
                                                               {"text": "A", "callback_data": "a"}]]}}),
        await http.post(f"/bot{TOKEN}/sendMessage", data={"chat_id": str(lan.id), "text": "qua form",
                                                           "reply_markup": markup}),
        await http.post(f"/bot{TOKEN}/sendMessage", data={"chat_id": str(lan.id), "text": "qua multipart"},
                        files={"unused": ("x.txt", b"x")}),
    ]
    bodies = [a.json() for a in answers]
    assert [a.status_code for a in answers] == [200] * 4 and all(b["ok"] for b in bodies)
    assert [b["result"]["text"] for b in bodies] == ["qua query", "qua JSON", "qua form", "qua multipart"]
    assert bodies[1]["result"]["reply_markup"] == bodies[2]["result"]["reply_markup"]
    assert [b["result"]["message_id"] for b in bodies] == [1, 2, 3, 4]


async def test_error_shapes(http: httpx.AsyncClient, sandbox: SandboxServer, people: SandboxClient) -> None:
    lan = await people.create_user("Lan")
    await people.private_chat(lan)
    unknown = await http.post(f"/bot{TOKEN}/sendTelepathy")
    assert (unknown.status_code, unknown.json()) == (404, {"ok": False, "error_code": 404, "description": "Not Found"})
    wrong = await http.get("/bot111111:" + "Z" * 30 + "/getMe")
    assert (wrong.status_code, wrong.json()) == (401, {"ok": False, "error_code": 401, "description": "Unauthorized"})
    empty = await http.post(f"/bot{TOKEN}/sendMessage", json={"chat_id": lan.id})
    assert empty.json() == {"ok": False, "error_code": 400, "description": "Bad Request: message text is empty"}
    broken = await http.post(f"/bot{TOKEN}/sendMessage", content=b"{not json",
                             headers={"Content-Type": "application/json"})
    assert broken.status_code == 400 and broken.json()["description"].startswith("Bad Request")
    bad_markup = await http.post(f"/bot{TOKEN}/sendMessage", data={"chat_id": str(lan.id), "text": "x",
                                                                    "reply_markup": "{oops"})
    assert bad_markup.json()["description"] == "Bad Request: can't parse reply keyboard markup JSON object"
    no_file = await http.get(f"/file/bot{TOKEN}/documents/none.pdf")
    assert no_file.status_code == 404
    assert sandbox.stats.errors["sendMessage:400"] == 3 and sandbox.stats.calls["sendTelepathy"] == 1


async def test_people_side_refuses_clearly(people: SandboxClient) -> None:
    lan = await people.create_user("Lan")
    with pytest.raises(SandboxError, match="Không có cuộc trò chuyện"):
        await people.send_text(-42, lan, "xin chào")
    group = await people.create_group("Nhóm", creator=lan)
    outsider = await people.create_user("Người ngoài")
    with pytest.raises(SandboxError, match="không ở trong cuộc trò chuyện"):
        await people.send_text(group, outsider, "xin vào")
    with pytest.raises(SandboxError, match="Tin nhắn trống"):
        await people.send_text(group, lan, "  ")
    said = await people.send_text(group, lan, "chào")
    with pytest.raises(SandboxError, match="không có nút"):
        await people.press_button(group, said, lan, data="x")
    with pytest.raises(SandboxTimeout):
        await people.wait_for_messages(group, 1, timeout=0.05)
    with pytest.raises(SandboxError, match="deep link"):
        await people.start(lan, "mã có dấu")
    with pytest.raises(SandboxError, match="Không biết tuỳ chọn"):
        await people.configure(limits={"per_fortnight": 3})


async def test_members_join_and_leave_as_service_messages(people: SandboxClient, sandbox: SandboxServer) -> None:
    lan = await people.create_user("Lan")
    minh = await people.create_user("Minh")
    group = await people.create_group("Nhóm", creator=lan)
    await people.add_member(group, minh, by=lan)
    await people.remove_member(group, minh)
    kinds = [next(k for k in u if k != "update_id") for u in sandbox.world.updates]
    texts = [u.get("message", {}) for u in sandbox.world.updates]
    assert kinds == ["my_chat_member", "message", "message", "message"]
    assert texts[2]["new_chat_members"][0]["id"] == minh.id and texts[3]["left_chat_member"]["id"] == minh.id
    assert (await people.chat_info(group))["members"] == {str(lan.id): "creator"}


def test_html_and_entities_count_utf16() -> None:
    text, entities = parse_html('😀 <b>Sở <i>Tư pháp</i></b> &lt;80%&gt; <a href="https://x.vn/?a=1&amp;b=2">xem</a>')
    assert text == "😀 Sở Tư pháp <80%> xem"
    assert entities == [{"offset": 3, "length": 10, "type": "bold"}, {"offset": 6, "length": 7, "type": "italic"},
                        {"offset": 20, "length": 3, "type": "text_link", "url": "https://x.vn/?a=1&b=2"}]
    found = detect_entities("😀 /start@NhacViecSandboxBot MA01 hỏi @lan_vp tại https://t.me/x")
    assert [(e["type"], e["offset"], e["length"]) for e in found] == [
        ("bot_command", 3, 25), ("mention", 38, 7), ("url", 50, 14)]


def test_cli_help_and_bad_token(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli_main(["sandbox", "--help"]) == 0
    assert "--fault-rate" in capsys.readouterr().out
    assert cli_main(["sandbox", "--token", "not-a-token"]) != 0
    assert "token" in capsys.readouterr().err
