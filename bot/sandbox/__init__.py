"""A local, in-memory fake of the Telegram Bot API (https://core.telegram.org/bots/api).

For the end-to-end tests, the offline demo, the benchmarks, and anyone working without a bot token.
It speaks Telegram's JSON shapes, so python-telegram-bot works against it unchanged.

Run it as a process:

    nhacviec sandbox --port 8081 [--no-limits] [--fault-rate 0.1 --seed 7] ...

and point the bot at it:

    TELEGRAM_API_BASE_URL=http://127.0.0.1:8081/bot        # python-telegram-bot's `base_url`
    # files: http://127.0.0.1:8081/file/bot                  # its `base_file_url`
    TELEGRAM_BOT_TOKEN=123456789:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA   # any digits:letters (>= 20 after the colon)

One server hosts one bot: the token given with --token, else the first well-formed token used. Another
token answers 401 Unauthorized; a malformed one 404 Not Found.

Or in-process (tests):

    async with SandboxServer(SandboxConfig(limits=RateLimits(enabled=False))) as sandbox:
        bot = telegram.Bot(TOKEN, base_url=sandbox.bot_api_url, base_file_url=sandbox.file_url)
        async with sandbox.client() as people:
            lan = await people.create_user("Lan")
            await people.start(lan, "CODE")

Bot side (`/bot<TOKEN>/<method>`, GET or POST; query string, JSON, urlencoded or multipart; method names
case-insensitive): getMe, getUpdates (offset, limit, long-poll timeout, allowed_updates; 409 while a
webhook is set), setWebhook/deleteWebhook/getWebhookInfo (see webhook.py), sendMessage, sendDocument,
sendPhoto, editMessageText/Caption/ReplyMarkup, deleteMessage, answerCallbackQuery, sendChatAction,
getFile (+ /file/bot<TOKEN>/<file_path>), set/get/deleteMyCommands, getChat, getChatMember,
getChatMemberCount, getChatAdministrators, leaveChat. Limits: limits.py; faults: faults.py.

Where it differs from Telegram, on purpose: parse_mode HTML is parsed into entities (and bad HTML
refused as Telegram does), Markdown/MarkdownV2 text is stored as given; webhooks may be plain http and
go only to loopback hosts unless configured; the sandbox never fetches URLs given as files; in groups
privacy mode is on (the bot sees commands, replies to it, mentions and service messages) unless the
bot is an admin or privacy_mode=False. editMessageText without reply_markup removes the inline
keyboard, as Telegram does.

People's side: HTTP under /sandbox/ (user_api.py) and `SandboxClient` (client.py).
"""

from bot.sandbox.client import ChatMessage, SandboxChat, SandboxClient, SandboxError, SandboxTimeout, SandboxUser
from bot.sandbox.faults import FaultConfig
from bot.sandbox.limits import RateLimits
from bot.sandbox.server import SandboxConfig, SandboxServer

__all__ = [
    "ChatMessage", "FaultConfig", "RateLimits", "SandboxChat", "SandboxClient", "SandboxConfig", "SandboxError",
    "SandboxServer", "SandboxTimeout", "SandboxUser",
]
