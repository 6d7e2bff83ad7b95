"""Position-preserving folding: match on plain ASCII-ish text, cut the answer out of the original.

`bot.base.text.fold` changes the length of a string (it collapses spaces and drops combining marks), so
a match in folded text cannot be mapped back. `aligned_fold` folds one character at a time: the
result has exactly the length of its input, so `original[m.start():m.end()]` is what was written.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_DASHES = frozenset("–—‐‑−")
_SPACES = re.compile(r"\s+")
# "quỹ" (a fund) folds to "quy" like "quý" (a quarter); mark it first so it never reads as a quarter.
_FUND = re.compile(r"quỹ", re.IGNORECASE)
# Legal texts repeat a number in words: "ngày 05 (năm)", "15 (mười lăm) ngày". The words go, the digits stay.
_NUMBER_WORD = (
    r"không|một|mốt|hai|ba|bốn|tư|năm|lăm|nhăm|sáu|bảy|bẩy|tám|chín|mười|mươi|linh|lẻ|trăm|nghìn|ngàn"
    r"|khong|mot|bon|tu|nam|lam|sau|bay|tam|chin|muoi|le|tram|nghin|ngan"
)
_NUMBER_IN_WORDS = re.compile(rf"(?<=\d)\s*\(\s*(?:(?:{_NUMBER_WORD})\b[\s,-]*)+\)", re.IGNORECASE)


@lru_cache(maxsize=4096)
def _fold_char(ch: str) -> str:
    if ch in _DASHES:
        return "-"
    if ch in "đĐ":
        return "d"
    if ch.isspace():
        return " "
    base = unicodedata.normalize("NFD", ch)[:1].lower()
    return base if len(base) == 1 and unicodedata.category(base) != "Mn" else ch


def clean_text(text: str) -> str:
    """NFC, one space for any run of white space, stripped; markdown/HTML emphasis and numbers repeated in words
    ("05 (năm)") removed."""
    text = unicodedata.normalize("NFC", text)
    text = re.sub(r"</?(?:b|i|u|p|strong|em|br)\s*/?>", " ", text, flags=re.IGNORECASE)
    text = text.replace("**", " ").replace("__", " ")
    text = _NUMBER_IN_WORDS.sub("", text)
    return _SPACES.sub(" ", text).strip()


def aligned_fold(text: str) -> str:
    """Lower-case, diacritics off, dashes unified, one character out for each character in.

    "quỹ" comes out as "qux" so that a fund is never read as a quarter ("quý" -> "quy").
    """
    text = _FUND.sub(lambda m: m.group(0)[:2] + "x", text)
    return text.translate(_ALIGNED)


class _AlignedTable(dict[int, str]):
    """`_fold_char` as a translation table, filled as characters are met: `str.translate` walks the text in C."""

    def __missing__(self, code: int) -> str:
        folded = self[code] = _fold_char(chr(code))
        return folded


_ALIGNED = _AlignedTable()
