"""Message text as Telegram stores it: plain text plus entities, offsets counted in UTF-16 code units.

`detect_entities` finds what Telegram marks in a person's message (bot commands, mentions, links);
`parse_html` turns a bot's `parse_mode=HTML` text into plain text and entities, refusing what Telegram
refuses. Other parse modes are stored as given (the sandbox does not parse Markdown).
"""

from __future__ import annotations

import re
from typing import Any

from bot.sandbox.errors import bad_request

Entity = dict[str, Any]

_COMMAND = re.compile(r"(?<![\w/@])/[A-Za-z0-9_]{1,32}(?:@[A-Za-z0-9_]{3,32})?(?![\w/@])")
_MENTION = re.compile(r"(?<![\w@])@[A-Za-z0-9_]{5,32}(?!\w)")
_URL = re.compile(r"https?://[^\s<>\"]+", re.IGNORECASE)


def utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def detect_entities(text: str) -> list[Entity]:
    """bot_command, mention and url entities of a person's message, sorted by offset."""
    found: list[tuple[int, int, str]] = []
    for kind, pattern in (("bot_command", _COMMAND), ("mention", _MENTION), ("url", _URL)):
        found += [(m.start(), m.end(), kind) for m in pattern.finditer(text)]
    found.sort()
    entities: list[Entity] = []
    taken_until = 0
    for start, end, kind in found:
        if start < taken_until:
            continue
        entities.append({"offset": utf16_len(text[:start]), "length": utf16_len(text[start:end]), "type": kind})
        taken_until = end
    return entities


def command_of(text: str | None, entities: list[Entity]) -> tuple[str, str | None] | None:
    """(command, @target or None) when the message starts with a bot command."""
    if not text or not entities or entities[0]["type"] != "bot_command" or entities[0]["offset"] != 0:
        return None
    head = text.split(maxsplit=1)[0]
    name, _, target = head[1:].partition("@")
    return name.lower(), (target or None)


_SIMPLE_TAGS = {
    "b": "bold", "strong": "bold", "i": "italic", "em": "italic", "u": "underline", "ins": "underline",
    "s": "strikethrough", "strike": "strikethrough", "del": "strikethrough", "tg-spoiler": "spoiler",
    "code": "code", "pre": "pre", "blockquote": "blockquote",
}
_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9-]*)((?:\s+[^<>]*?)?)\s*(/?)>")
_ATTR = re.compile(r"([A-Za-z-]+)\s*=\s*(\"[^\"]*\"|'[^']*'|[^\s\"'>]+)")
_CHARREF = re.compile(r"&(lt|gt|amp|quot|#\d+|#[xX][0-9a-fA-F]+);")
_NAMED = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}


def _unescape(text: str) -> str:
    def one(match: re.Match[str]) -> str:
        ref = match.group(1)
        if ref in _NAMED:
            return _NAMED[ref]
        number = int(ref[2:], 16) if ref[1] in "xX" else int(ref[1:])
        return chr(number) if 0 < number < 0x110000 else match.group(0)

    return _CHARREF.sub(one, text)


def _byte_offset(source: str, index: int) -> int:
    return len(source[:index].encode("utf-8"))


def _entity_for(tag: str, attrs: str, source: str, index: int) -> Entity:
    values = {k.lower(): v.strip("\"'") for k, v in _ATTR.findall(attrs)}
    if tag == "a":
        href = values.get("href", "")
        if not href:
            return {"type": "text_link", "url": ""}
        return {"type": "text_link", "url": _unescape(href)}
    if tag == "span":
        if values.get("class") != "tg-spoiler":
            raise bad_request(f"can't parse entities: Unsupported start tag \"span\" at byte offset "
                              f"{_byte_offset(source, index)}")
        return {"type": "spoiler"}
    if tag == "tg-emoji":
        return {"type": "custom_emoji", "custom_emoji_id": values.get("emoji-id", "")}
    if tag == "blockquote" and "expandable" in attrs:
        return {"type": "expandable_blockquote"}
    if tag == "code" and values.get("class", "").startswith("language-"):
        return {"type": "code", "language": values["class"].removeprefix("language-")}
    return {"type": _SIMPLE_TAGS[tag]}


def parse_html(source: str) -> tuple[str, list[Entity]]:
    """Telegram's HTML style: the supported tags only, every tag closed, `<` `>` `&` escaped."""
    plain: list[str] = []
    length = 0  # UTF-16 length of the plain text so far
    stack: list[tuple[str, int, Entity]] = []
    entities: list[Entity] = []
    position = 0
    while position < len(source):
        lt = source.find("<", position)
        if lt < 0:
            lt = len(source)
        chunk = _unescape(source[position:lt])
        plain.append(chunk)
        length += utf16_len(chunk)
        if lt == len(source):
            break
        match = _TAG.match(source, lt)
        if match is None:
            raise bad_request(f"can't parse entities: Unsupported start tag \"\" at byte offset "
                              f"{_byte_offset(source, lt)}")
        closing, tag = match.group(1) == "/", match.group(2).lower()
        if tag not in _SIMPLE_TAGS and tag not in {"a", "span", "tg-emoji"}:
            kind = "end" if closing else "start"
            raise bad_request(f"can't parse entities: Unsupported {kind} tag \"{tag}\" at byte offset "
                              f"{_byte_offset(source, lt)}")
        if closing:
            if not stack or stack[-1][0] != tag:
                expected = f"\"</{stack[-1][0]}>\"" if stack else "none"
                raise bad_request(f"can't parse entities: Unmatched end tag at byte offset "
                                  f"{_byte_offset(source, lt)}, expected {expected}, found \"</{tag}>\"")
            _, start, entity = stack.pop()
            if length > start:
                entities.append({"offset": start, "length": length - start, **entity})
        else:
            stack.append((tag, length, _entity_for(tag, match.group(3) or "", source, lt)))
        position = match.end()
    if stack:
        raise bad_request(f"can't parse entities: Can't find end tag corresponding to start tag \"{stack[-1][0]}\"")
    entities.sort(key=lambda e: (e["offset"], -e["length"]))
    return "".join(plain), entities
