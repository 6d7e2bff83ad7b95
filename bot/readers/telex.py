"""Undo telex typed without the keyboard's help: "hoafn thanhf" -> "hoàn thành", "chuwa" -> "chưa".

A phone without a Vietnamese keyboard leaves the telex keys in the text: tone keys (s f r x j) after the
vowels, doubled vowels for the hat (aa ee oo), w for the horn or breve (aw ow uw), dd for đ. Vietnamese
syllables never end in s, f, r, x or j and never hold w, f, j or z, so a word showing any of those keys, or a
doubled vowel, is decoded, and the decoding is kept only when it gives a well-formed syllable (onset, one
vowel group, a legal final). Abbreviations ("tttt", "vnpt", "ubnd") have no vowel group and stay as written;
English words ("thanks", "process") fail the syllable check and stay too.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_ONSETS = ("ngh", "ng", "nh", "ch", "gh", "gi", "kh", "ph", "qu", "th", "tr", "đ",
           "b", "c", "d", "g", "h", "k", "l", "m", "n", "p", "r", "s", "t", "v", "x")
_FINALS = frozenset({"", "c", "ch", "m", "n", "ng", "nh", "p", "t"})
_TONE_KEYS = {"s": "\u0301", "f": "\u0300", "r": "\u0309", "x": "\u0303", "j": "\u0323", "z": ""}
_HAT = {"a": "â", "e": "ê", "o": "ô"}
_VOWELS = "aeiouyâêôơưă"
_RIME = re.compile(rf"^([{_VOWELS}]{{1,3}})([a-z]*)$")
_WORD = re.compile(r"[^\W\d_]+(?:[1-9]+[^\W\d_]+[1-9]*)?")
_EVIDENCE = re.compile(r"[fjwz]|(?<=[aeiouy])[a-z]*[sfrxj]|aa|ee|oo|^dd|([bcdghklmnpqrtv])\1$", re.IGNORECASE)
_VNI_KEYS = {"1": "s", "2": "f", "3": "r", "4": "x", "5": "j", "7": "w", "8": "w"}
_GROUPS = (  # every vowel group a syllable may hold
    "a e i o u y â ê ô ơ ư ă ai ao au ay âu ây eo êu ia iu iê oa oă oe oi oo ôi ơi ua uâ uê ui uô uy ưa "
    "ưi ưu ươ iêu yê yêu oai oay oeo uây uôi uya uyê uyu ươi ươu"
)
_VALID_GROUPS = frozenset(_GROUPS.split())


def _split_onset(word: str) -> tuple[str, str]:
    for onset in _ONSETS:
        if word.startswith(onset) and len(word) > len(onset):
            rest = word[len(onset):]
            if onset == "gi" and rest[0] not in _VOWELS:  # "gìn" is g + "in"
                return "g", word[1:]
            return onset, rest
    return "", word


def _mark_vowel(group: str, final: str) -> int:
    """Which letter of the vowel group carries the tone (the modern rule; folding erases it anyway)."""
    for i, ch in enumerate(group):
        if ch in "âêôơưă":
            return i + 1 if group[i:i + 2] == "ươ" else i
    if len(group) == 1:
        return 0
    if final or len(group) == 3 or group in {"oa", "oe", "uy"}:
        return 1
    return 0


@lru_cache(maxsize=8192)
def _decode_word(word: str) -> str | None:
    """The syllable a telex-typed word stands for, or None when it is not one."""
    lower = word.lower()
    tone = ""
    kept = []
    lower = re.sub(r"(.)\1{2,}", r"\1\1", lower)  # "pheee" -> "phee"
    if lower.startswith("dd"):
        lower = "đ" + lower[2:]
    onset, rest = _split_onset(lower)
    for ch in rest:
        if ch in _TONE_KEYS:
            tone = _TONE_KEYS[ch]
        else:
            kept.append(ch)
    rest = "".join(kept)
    horn = "w" in rest
    rest = rest.replace("w", "")
    rest = re.sub(r"([aeo])([a-z]?)\1", lambda m: _HAT[m.group(1)] + m.group(2), rest)  # "hieen", "caap"
    rest = re.sub(r"([^aeo])\1+$", r"\1", rest)  # "xongg" -> "xong"
    rest = re.sub(r"([iuy])\1", r"\1", rest)  # "roiif" -> "roif"
    m = _RIME.match(rest)
    if not m:
        return None
    group, final = m.group(1), m.group(2)
    if horn:
        if "uo" in group:
            group = group.replace("uo", "ươ", 1)
        elif "ua" in group and onset != "qu":
            group = group.replace("ua", "ưa", 1)
        elif "u" in group and onset != "qu":
            group = group.replace("u", "ư", 1)
        elif "o" in group:
            group = group.replace("o", "ơ", 1)
        elif "a" in group or "â" in group:
            group = re.sub("[aâ]", "ă", group, count=1)
        else:
            return None
    if group not in _VALID_GROUPS or final not in _FINALS:
        return None
    if tone:
        i = _mark_vowel(group, final)
        group = group[:i] + unicodedata.normalize("NFC", group[i] + tone) + group[i + 1:]
    out = onset + group + final
    return out[0].upper() + out[1:] if word[:1].isupper() else out


def _vni_to_telex(word: str) -> str:
    """VNI keys (digits after the letters: "hoa2n", "chu7a", "d9a4") as their telex twins."""
    out = ""
    for ch in word:
        if ch == "9" and out[-1:].lower() == "d":
            out += "d"
        elif ch == "6":
            last = max(out.lower().rfind(v) for v in "aeo")
            out = out[:last + 1] + out[last] + out[last + 1:] if last >= 0 else out
        else:
            out += _VNI_KEYS.get(ch, ch)
    return out


def _decode(match: re.Match[str]) -> str:
    word = match.group(0)
    if word[:2].lower() == "dđ":  # "dđang": the "d" typed before the key that made it "đ" was not erased
        return word[1:]
    if any(ch.isdigit() for ch in word):
        return _decode_word(_vni_to_telex(word)) or word
    if (not word.isascii() and not word.lower().startswith("đ")) or not word[1:].isascii():
        return word
    if not _EVIDENCE.search(word) or (word.isupper() and len(word) > 1):
        return word
    if re.fullmatch(r"dd[^aeiouy]*", word, re.IGNORECASE):  # "ddc" (được), "dđ"
        return "đ" + word[2:]
    return _decode_word(word) or word


def untelex(text: str) -> str:
    """`text` with every telex-typed word decoded; words with diacritics or no telex keys are left alone."""
    return _WORD.sub(_decode, text)
