"""/web (/trangweb) in chat: a one-time link that signs the member in to the web pages (15 minutes, once)."""

from __future__ import annotations

from sqlmodel import Session

from bot.base import messages as msg
from bot.base.chat import Incoming, Outgoing
from bot.chat.context import ChatDeps, resolve_actor
from bot.web.links import SIGN_IN_TTL, sign_in_url
from handlers.routes import Route
from storage.web_sessions import create_link


def handle_web(session: Session, deps: ChatDeps, event: Incoming) -> list[Outgoing]:
    if not deps.web_base_url:
        return [Outgoing(text=msg.WEB_OFF)]
    actor = resolve_actor(session=session, event=event)
    if actor.member is None or not actor.member.active or actor.member.id is None:
        return [Outgoing(text=msg.STRANGER)]
    if event.chat_type != "private":
        return [Outgoing(text=msg.WEB_PRIVATE_ONLY)]
    now = deps.now()
    token = create_link(session=session, now=now, ttl=SIGN_IN_TTL, member_id=actor.member.id,
                        created_by=f"{event.platform}:{event.user_id}")
    expires = (now + SIGN_IN_TTL).astimezone(deps.tz)
    return [Outgoing(text=msg.web_link(sign_in_url(base_url=deps.web_base_url, token=token), f"{expires:%H:%M}"))]


ROUTES = (Route("command", handle_web, names=("web", "trangweb")),)
