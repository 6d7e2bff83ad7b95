"""Vietnamese text helpers: fold diacritics and case so "Phòng Văn hóa" matches "phong van hoa"."""

from __future__ import annotations

import functools
import re
import unicodedata

_SPACES = re.compile(r"\s+")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")  # C0 controls but tab and newlines; PostgreSQL refuses NUL
_DASHES = str.maketrans({"–": "-", "—": "-", "‐": "-", "‑": "-", "−": "-"})
_DASH_CHARS = ("–", "—", "‐", "‑", "−")


_ASTRAL = re.compile("[\U00010000-\U0010ffff]")


@functools.cache
def _marks() -> re.Pattern[str]:
    """Every nonspacing mark (category Mn) of the Basic Multilingual Plane, as one character class: one regex pass
    instead of a Python loop over each character (fold was most of the time of reading a long plan)."""
    ranges: list[str] = []
    start = previous = None
    for code in range(0x300, 0x10000):
        if unicodedata.category(chr(code)) != "Mn":
            continue
        if previous is not None and code == previous + 1:
            previous = code
            continue
        if start is not None:
            ranges.append(f"{re.escape(chr(start))}-{re.escape(chr(previous))}")  # type: ignore[arg-type]
        start = previous = code
    ranges.append(f"{re.escape(chr(start))}-{re.escape(chr(previous))}")  # type: ignore[arg-type]
    return re.compile(f"[{''.join(ranges)}]+")


def fold(text: str) -> str:
    """Lower-case, strip diacritics (đ -> d), unify dashes and collapse white space."""
    if not text.isascii() and any(dash in text for dash in _DASH_CHARS):
        text = text.translate(_DASHES)
    text = _marks().sub("", unicodedata.normalize("NFD", text))
    if _ASTRAL.search(text):  # marks beyond the BMP: rare enough for the character loop
        text = "".join(ch for ch in text if unicodedata.category(ch) != "Mn")
    text = text.replace("đ", "d").replace("Đ", "D")
    return _SPACES.sub(" ", text).strip().lower()


def normalize_name(text: str) -> str:
    """A key for unit and group names: folded, punctuation around words reduced to single spaces."""
    folded = fold(text)
    folded = re.sub(r"[\"'“”‘’`.,;:()\[\]]", " ", folded)
    folded = re.sub(r"\s*-\s*", " - ", folded)
    return _SPACES.sub(" ", folded).strip()


def nfc(text: str) -> str:
    """Compose Vietnamese text (documents mix decomposed and precomposed forms)."""
    return unicodedata.normalize("NFC", text)


def and_more(total: int, shown: int, noun: str) -> str:
    """ "và 18 đơn vị khác" when a list of `total` shows only `shown`; "" when nothing was left out."""
    return f"và {total - shown} {noun} khác" if total > shown else ""


def strip_controls(text: str) -> str:
    """Text as people meant it: control characters (NUL included) removed."""
    return _CONTROL.sub("", text)
