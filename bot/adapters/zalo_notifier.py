"""The Zalo Notifier: one outbox message through the Zalo Bot API, its errors mapped to the neutral ones.

A message longer than 2,000 characters goes out in pieces; the pieces already sent are remembered (in
memory, per chat and text) so that a retry after a failure in the middle sends only the rest, not the whole
message again. The returned id is the last piece's: the dispatcher records the card's MessageLink on it.
429 "quota exceeded" carries no retry_after on Zalo: it becomes RetryLater with a wait that doubles on
each 429 in a row (2, 4, 8 ... 60 s) and resets after a success; the dispatcher's pacer holds everyone back.
"""

from __future__ import annotations

import hashlib
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from bot.adapters.zalo import PLATFORM, send_one
from bot.adapters.zalo_api import ZaloClient, ZaloError, ZaloNetworkError, ZaloRateLimited
from bot.base.chat import Outgoing
from bot.chat.capabilities import ZALO, FileLink, file_download_link, present
from scheduler.notifier import Permanent, RetryLater, Transient
from scheduler.pacer import Limits

GONE_HINTS = ("not found", "blocked", "not a member", "not follow", "removed", "deleted", "invalid chat", "forbidden")
FIRST_BACKOFF, MAX_BACKOFF = 2.0, 60.0


def zalo_limits(*, per_second: float = 5.0, chat_interval: float = 1.5, group_interval: float = 4.0,
                enabled: bool = True) -> Limits:
    """Conservative pacing: Zalo publishes no rate, so far below Telegram's (settings ZALO_SEND_PER_SECOND ...)."""
    return Limits(per_second=per_second, chat_interval=chat_interval, group_interval=group_interval, enabled=enabled)


class ZaloNotifier:
    platform = PLATFORM

    def __init__(self, client: ZaloClient, *, file_link: FileLink = file_download_link) -> None:
        self.client, self.file_link = client, file_link
        self._sent_pieces: dict[tuple[str, str], list[str]] = {}
        self._rate_wait = FIRST_BACKOFF

    async def send(self, chat_id: str, out: Outgoing) -> str:
        pieces = [p for p in present(out, ZALO, file_link=self.file_link) if p.text or p.photo_url]
        if not pieces:
            raise Permanent("tin rỗng")
        key = (chat_id, hashlib.sha1("\x00".join(p.text for p in pieces).encode()).hexdigest())
        done = self._sent_pieces.setdefault(key, [])
        try:
            for piece in pieces[len(done):]:
                done.append(await send_one(self.client, chat_id, piece))
        except ZaloRateLimited as exc:
            wait = exc.retry_after or self._rate_wait
            self._rate_wait = min(MAX_BACKOFF, self._rate_wait * 2)
            raise RetryLater(wait) from exc
        except ZaloNetworkError as exc:
            raise Transient(str(exc)) from exc
        except ZaloError as exc:
            self._sent_pieces.pop(key, None)
            gone = exc.code in (403, 404) or any(hint in exc.description.lower() for hint in GONE_HINTS)
            raise Permanent(f"Zalo {exc.code}: {exc.description}", chat_gone=gone) from exc
        self._rate_wait = FIRST_BACKOFF
        self._sent_pieces.pop(key, None)
        return done[-1]


@asynccontextmanager
async def open_zalo_notifier(token: str, base_url: str, *, connections: int = 10,
                             file_link: FileLink = file_download_link) -> AsyncIterator[ZaloNotifier]:
    """A notifier on its own client (outside `nhacviec run`), e.g. for `nhacviec nudges send-due`."""
    async with ZaloClient(token, base_url, connections=connections) as client:
        yield ZaloNotifier(client, file_link=file_link)
