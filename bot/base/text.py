"""Vietnamese text helpers: fold diacritics and case so "Phòng Văn hóa" matches "phong van hoa"."""

from __future__ import annotations

import re
import unicodedata

_SPACES = re.compile(r"\s+")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")  # C0 controls but tab and newlines; PostgreSQL refuses NUL
_DASHES = str.maketrans({"–": "-", "—": "-", "‐": "-", "‑": "-", "−": "-"})


def fold(text: str) -> str:
    """Lower-case, strip diacritics (đ -> d), unify dashes and collapse white space."""
    text = unicodedata.normalize("NFD", text.translate(_DASHES))
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
