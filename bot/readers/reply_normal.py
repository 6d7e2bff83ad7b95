"""A reply rewritten into the plain form the cue patterns know, before it is read.

- telex and VNI leftovers decoded (`bot.readers.telex`): "hoafn thanhf" -> "hoàn thành";
- numbers spelled out where they are a share of the work: "tám mươi phần trăm" -> "80%", "ba phần tư" -> "3/4",
  "một nửa" -> "50%", "ba trên năm xã" -> "3 trên 5 xã";
- shorthand and regional words: "dc" -> "được", "r" -> "rồi", "hok/hông/khum/hổng" -> "không", "mần" -> "làm".

Matching is done on the length-preserving fold (`bot.readers.folding.aligned_fold`), so a rule is written once
without diacritics and still cuts the original words out; each match is replaced in the original text.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from bot.readers.folding import aligned_fold
from bot.readers.telex import untelex

_DIGITS = {"khong": 0, "linh": 0, "le": 0, "mot": 1, "mốt": 1, "hai": 2, "ba": 3, "bon": 4, "tu": 4, "nam": 5,
           "lam": 5, "nham": 5, "sau": 6, "bay": 7, "tam": 8, "chin": 9}
_NUMBER_WORD = r"(?:khong|mot|hai|ba|bon|tu|nam|lam|nham|sau|bay|tam|chin|muoi|muoi|chuc|tram|linh(?! vuc)|le)"
_NUMBER = rf"(?:mot tram|{_NUMBER_WORD}(?:\s+{_NUMBER_WORD}){{0,3}})"


def spoken_number(words: str) -> int | None:
    """ "tám mươi" -> 80, "chín mươi lăm" -> 95, "mười hai" -> 12, "tám chục" -> 80, "một trăm" -> 100,
    "một trăm hai mươi" -> 120 (folded words; up to 999)."""
    parts = words.split()
    if len(parts) >= 2 and parts[0] in _DIGITS and parts[1] == "tram" and _DIGITS[parts[0]] > 0:
        hundreds = 100 * _DIGITS[parts[0]]
        if len(parts) == 2:
            return hundreds
        rest = parts[3:] if parts[2] in {"linh", "le"} and len(parts) == 4 else parts[2:]
        tail = spoken_number(" ".join(rest))
        return hundreds + tail if tail is not None and tail < 100 else None
    if parts == ["tram"]:
        return 100
    total, i = 0, 0
    if parts and parts[0] == "muoi":  # "mười", "mười lăm"
        total, i = 10, 1
    elif len(parts) >= 2 and parts[0] in _DIGITS and parts[1] in {"muoi", "chuc"}:
        total, i = 10 * _DIGITS[parts[0]], 2
    elif len(parts) == 1 and parts[0] in _DIGITS and parts[0] not in {"lam", "nham", "le", "linh"}:
        return _DIGITS[parts[0]]  # "lăm" is five only after "mươi"; alone, "lam" is "làm"
    else:
        return None
    if i < len(parts):
        if i + 1 != len(parts) or parts[i] not in _DIGITS or parts[i] in {"linh", "le"}:
            return None
        total += 1 if parts[i] == "mot" else _DIGITS[parts[i]]
    return total


def _tail_number(words: str) -> tuple[str, int] | None:
    """The longest tail of `words` that is a spoken number, and the words before it ("tầm bảy mươi" -> 70)."""
    parts = words.split()
    for i in range(len(parts)):
        value = spoken_number(" ".join(parts[i:]))
        if value is not None:
            return " ".join(parts[:i]), value
    return None


def _lead(found: tuple[str, int], m: re.Match[str], text: str) -> str:
    """The words of a match before its number, as written ("tầm " in "tầm bảy mươi phần trăm")."""
    return text[m.start():m.start() + len(found[0])] + (" " if found[0] else "")


def _spoken_tail(m: re.Match[str], text: str) -> tuple[str, int] | None:
    """`_tail_number` of group 1, where "tầm" (about) as written is not "tám" (eight): "tầm mười" is about ten."""
    words = m.group(1)
    about = re.match(r"((?:[^\W\d_]+\s+)*?)tầm\s+", text[m.start(1):m.end(1)], re.IGNORECASE)
    if not about:
        return _tail_number(words)
    found = _tail_number(words[about.end():])
    return None if found is None else (f"{words[:about.end()]}{found[0]}".strip(), found[1])


def _percent(m: re.Match[str], text: str) -> str | None:
    found = _spoken_tail(m, text)
    if found is None or not 0 <= found[1] <= 100:
        return None
    return _lead(found, m, text) + f"{found[1]}%"


def _fraction(m: re.Match[str], text: str) -> str | None:
    """"ba phần tư" -> "75%": a fraction in words is a share of the work (never a date)."""
    found = ("", int(m.group(1))) if m.group(1).isdigit() else _tail_number(m.group(1))
    den = int(m.group(2)) if m.group(2).isdigit() else spoken_number(m.group(2))
    if found is None or den is None or not 0 < den <= 20 or found[1] > den:
        return None
    return _lead(found, m, text) + f"{int(100 * found[1] / den + 0.5)}%"


def _out_of(m: re.Match[str], text: str) -> str | None:
    """"năm cơ sở trên tổng số mười" -> "5 cơ sở trên 10"."""
    found = _tail_number(m.group(1))
    den = spoken_number(m.group(3))
    if found is None or den is None or not den > 0 or found[1] > den:
        return None
    total = "trên tổng số" if len(m.group(2).split()) >= 3 else "trên"  # a long unit: the total stays explicit
    return _lead(found, m, text) + f"{found[1]}{text[m.start(2):m.end(2)]} {total} {den}"


def _spoken_date(m: re.Match[str], text: str) -> str | None:
    day, month = spoken_number(m.group(2)), spoken_number(m.group(3))
    if day is None or month is None or not (1 <= day <= 31 and 1 <= month <= 12):
        return None
    return f"{text[m.start(1):m.end(1)]} {day}/{month}"


def _spoken_month(m: re.Match[str], text: str) -> str | None:
    """"đầu tháng bảy" -> "đầu tháng 7"; "tháng sau" typed without its tone is the next month, not June."""
    written = text[m.start(2):m.end(2)]
    month = spoken_number(m.group(2))
    if month is None or not 1 <= month <= 12 or written.isascii():
        return None
    return f"{text[m.start(1):m.end(1)]} tháng {month}"


# "4 lớp / 6 lớp xong": the unit written on both sides of the slash, a count done out of a total ("4/6 lớp")
_UNIT_BOTH_SIDES = re.compile(r"\b(\d{1,3})\s*([a-z]+(?:\s[a-z]+)?)\s*/\s*(\d{1,3})\s*\2\b")


def _unit_both_sides(m: re.Match[str], text: str) -> str | None:
    done, total = int(m.group(1)), int(m.group(3))
    return None if total <= 0 or done > total else f"{done}/{total} {text[m.start(2):m.end(2)]}"


# "khoảng 1/2 rồi", "được 1/3": a share after a word of progress, not the 1st of a month
_SHARE_SLASH = re.compile(r"\b(khoang|tam|chung|duoc|dat|lam duoc|moi duoc)\s+1\s*/\s*([234])\b"
                          r"(?!\s*[/.-]\s*\d)(?=\s*(?:$|[,.;!?]|roi\b|thoi\b|a\b|nha\b|cong viec\b|khoi luong\b))")
# "chưa được tí nào", "chưa làm được chút nào": nothing done, 0%
_NOTHING_YET = re.compile(
    r"\bchua\s+(?:lam\s+)?(?:duoc|xong)\s+(?:ti|chut|xiu|it|mot ti|mot chut)\s+(?:nao|gi)\b(?:\s+(?:ca|het|luon))?")
# An emoji between words stands for a pause: "chưa 😅 để tuần sau" reads "chưa, để tuần sau", "NV3 xong 👍 NV4 ..."
# two parts
_EMOJI = re.compile("\\s*[\U0001F300-\U0001FAFF\u2600-\u27BF]+\\s*(?=\\w)")


# Voice typing writes the punctuation spoken: "hoàn thành rồi chị ơi chấm", "xong rồi chấm em gửi anh sau phẩy cảm
# ơn anh" ("chấm" after a word that closes a clause, or last; not the verb: "chấm điểm", "đã chấm xong 2 môn")
_SPOKEN_STOP = re.compile(
    r"(?<!\w)(?!(?:đang|đã|chưa|sẽ|mới|vừa|đi|cần)\s)(\w+)\s+chấm(?:\s+hết)?\s*$"
    r"|\b(rồi|xong|ạ|ơi|làm|thành|nha|nhé|luôn)\s+chấm(?:\s+hết)?(?=\s+\w)", re.IGNORECASE)
_SPOKEN_COMMA = re.compile(r"(\w)\s+phẩy(?=\s+\w|\s*$)", re.IGNORECASE)


_AFTER_A_UNIT = re.compile(r"(?:\d|%|ngay|tuan|thang|nam|buoi|gio|chut|ti|lat|xiu|it|them|gi|nao)\s*$")
_PROGRESS_BEFORE = re.compile(r"\b(?:duoc|dat|lam|xong|khoang|tam|chung|co|moi)\s*$")


def _half(m: re.Match[str], text: str) -> str | None:
    """"(một) nửa" is 50%; not "hơn/quá/gần nửa" (no exact figure) nor "nữa" (more: "20% nữa là xong"). A bare
    "nua" typed without diacritics is "nữa" unless progress leads it ("được nua")."""
    written = text[m.start():m.end()].lower()
    before = aligned_fold(text[max(0, m.start() - 12):m.start()])
    if m.group(1) or "ữ" in written or _AFTER_A_UNIT.search(before):
        return None
    bare = re.fullmatch(r"nua(?: chang)?", aligned_fold(written))
    if bare and "ử" not in written and not _PROGRESS_BEFORE.search(before):
        return None
    clause = aligned_fold(text[:m.start()]).rsplit(",", 1)[-1].rsplit(".", 1)[-1]
    if bare and "ử" not in written and (_NOTHING_LEFT_BEFORE.search(clause) or before.endswith("phai lam ")):
        return None  # "không còn nhà nào phải làm nua", "ko còn gì làm nua": "nữa", nothing is left
    return "50%"


# "không còn ... nữa" (no more): a bare "nua" after it is "nữa", not a half
_NOTHING_LEFT_BEFORE = re.compile(r"\b(?:khong|ko|k|kg|khg|hok|hong|chang|cha|cung khong)\s+con\b")


# "được hai lớp rồi, còn một lớp nữa": a count in words before what is counted
_COUNTED = (
    r"lop|ap|thon|ban|xa|phuong|ho|can|linh vuc|khu|khu pho|cuon|bo|ho so|phieu|truong|diem|cum|tuyen|buoi"
    r"|dot|hoi nghi|co so|quan|thua|camera|tru so|mo hinh|chi hoi|khom|xom|to dan pho"
)
_COUNT_IN_WORDS = re.compile(
    rf"(?<!\bmot )(?<!tuan )(?<!thang )(?<!ngay )(?<!quy )(?<!thu )(?<!nam )"
    rf"\b({_NUMBER})\s+(?=(?:{_COUNTED})\b)(?!so\b)"
)


def _count_in_words(m: re.Match[str], text: str) -> str | None:
    value = spoken_number(m.group(1))
    return None if value is None or m.group(1) in {"lam", "nham", "le", "linh", "khong"} else f"{value} "


_SPOKEN = (
    (re.compile(rf"\b({_NUMBER})\s+(?:phan tram|%)"), _percent),
    (re.compile(r"\b(\d)\s+chuc\s+(?:phan tram|%)"), lambda m, text: f"{m.group(1)}0%"),  # "6 chục phần trăm"
    (re.compile(r"\bhong\s+(?=co\b|lam\b|duoc\b|biet\b|thay\b|kip\b|xong\b|hoan\b|phai\b)"),
     # "hong có" (Southern "không có"); "hỏng" alone is "broken"
     lambda m, text: "không " if text[m.start():m.start() + 4].lower() in {"hong", "hông"} else None),
    (re.compile(rf"\b(\d{{1,2}}|{_NUMBER})\s+phan\s+({_NUMBER}|\d{{1,2}})\b(?!\s*(?:%|phan tram))"), _fraction),
    # "ba trên năm xã", "năm cơ sở trên tổng số mười cơ sở": a count done out of a total, in words
    # (a number never starts with "lăm"/"linh"/"lẻ": "làm được hai trên năm ấp" is "làm được" then the count)
    (re.compile(rf"\b(?!(?:lam|nham|le|linh)\b)({_NUMBER})((?:\s+[a-z]+){{0,2}}?)\s+(?:tren|trong)\s+"
                rf"(?:tong\s+(?:so\s+)?)?({_NUMBER})\b"),
     _out_of),
    # "hai trăm phiếu điều tra giá đất trên tổng số ba trăm phiếu": a longer unit before an explicit total
    (re.compile(rf"\b({_NUMBER})((?:\s+[a-z]+){{3,5}}?)\s+tren\s+tong\s+(?:so\s+)?({_NUMBER})\b"), _out_of),
    # "hai tuần nữa", "ba ngày nữa": a count of days or weeks in words
    (re.compile(rf"\b({_NUMBER})\s+(ngay|tuan|thang)\s+(?=nua\b|toi\b|sau\b)"),
     lambda m, text: (lambda f: None if f is None or f[0] else f"{f[1]} {text[m.start(2):m.end(2)]} ")(
         _tail_number(m.group(1)))),
    # Central "này": "tuần ni", "bữa ni", "tháng ni"
    (re.compile(r"\b(tuan|thang|nam|quy|chieu|sang|toi|bua|hom)\s+ni\b"),
     lambda m, text: "hôm nay" if m.group(1) == "bua" else f"{text[m.start(1):m.end(1)]} này"),
    # "ngày mười lăm tháng bảy", "hôm mười lăm tháng chín": a date in words
    (re.compile(rf"\b(ngay|hom|bua|mong|mung)\s+({_NUMBER})\s+thang\s+({_NUMBER})\b"), _spoken_date),
    # "đầu tháng bảy", "cuối tháng mười hai": a month in words after where in it (not "tháng sau", next month)
    (re.compile(rf"\b(dau|cuoi|giua|trong|het|vao|truoc)\s+thang\s+({_NUMBER})\b(?!\s+(?:nam|ngay)\b)"),
     _spoken_month),
    # "ngày hai mươi tám (là xong)": a day of the month in words (10 and up: "ngày một" is "ngày một nhiều")
    (re.compile(rf"\bngay\s+({_NUMBER})\b(?!\s+(?:thang|nua|toi|sau|truoc|ngay|lan))"),
     lambda m, text: (lambda v: f"ngày {v}" if v is not None and 10 <= v <= 31 else None)(spoken_number(m.group(1)))),
    # "T2 tuần sau", "T6 này", "hôm T3": a weekday written short
    (re.compile(r"(?<![\w/])t([2-7])\b(?=\s+(?:tuan|nay|toi|ni|vua|sau)\b)"
                r"|\b(hom|tu|vao|den|truoc|chieu|sang)\s+t([2-7])\b"),
     lambda m, text: f"thứ {m.group(1)}" if m.group(1) else f"{text[m.start(2):m.end(2)]} thứ {m.group(3)}"),
    (_COUNT_IN_WORDS, _count_in_words),
    # "(một) nửa", "phân nửa", "nửa chặng": half; "hơn/quá/già/non nửa" stay words (no exact figure)
    (re.compile(r"\b(?:(hon|qua|gia|non|gan|chua toi|chua den|chua duoc)\s+)?(?:mot |1 |phan )?nua(?: chang)?\b"
                r"(?!\s+(?:ngay|thang|nam|tuan|buoi|gio|dem|dau|cuoi|sau|kia|ky|nhiem))"), _half),
)

# Shorthand and regional words (whole words only), each to the form the cue patterns know.
_WORDS: dict[str, str] = {
    "dc": "được", "đc": "được", "đươc": "được",
    "r": "rồi", "rui": "rồi", "roai": "rồi", "roy": "rồi",
    "hok": "không", "hông": "không", "hổng": "không", "khum": "không", "hem": "không", "hok có": "không có",
    "kg": "không", "khg": "không", "ko": "không", "k": "không", "hk": "không", "kô": "không", "hơm": "không",
    "chả": "chẳng", "mần": "làm", "chx": "chưa", "cx": "cũng", "trk": "triển khai", "trkhai": "triển khai",
    "tkhai": "triển khai", "đg": "đang", "dg": "đang", "dag": "đang", "vs": "với", "xg": "xong", "xog": "xong",
    "đặng": "được", "rùi": "rồi", "lm": "làm", "j": "gì", "kq": "kết quả",
    # Northern l/n and ch/tr swaps, written with their tones (the folded forms are other words): "nàm" is
    # "làm", "chửa" "chưa", "nốp" "lớp", "nời" "lời"; "dưng (mà)" is "nhưng (mà)"; Central "chừ" "giờ"
    "nàm": "làm", "chửa": "chưa", "nốp": "lớp", "nời": "lời", "dưng": "nhưng", "chừ": "giờ",
    # Central particles at the end of a clause ("làm rồi nờ", "xong rồi hỉ"): "nha"
    "nờ": "nha", "hỉ": "nha",
    # "sửa chữa xong" folds to "sua chua xong" ("not yet done"): written with its tone, "chữa" is a verb of doing
    "chữa": "sửa",
}
# "ch lm", "ch xong": "ch" before a verb is "chưa" (alone, "ch" may be "chị")
_CH_NOT_YET = re.compile(
    r"(?<!\w)[cC]h\s+(?=(?:lm|làm|lam|xong|xg|có|co|được|đc|dc|triển|trien|ht|bắt|bat|gửi|gui|nộp|nop|tới|toi)(?!\w))"
)
_WORDS_FOLDED = {k: v for k, v in _WORDS.items() if aligned_fold(k) == k}
_WORDS_WRITTEN = {k: v for k, v in _WORDS.items() if aligned_fold(k) != k}
_WORD_RE = re.compile(r"(?<![\w/%-])[^\W\d_]+(?![\w/%-])")


def _replace_all(text: str, pattern: re.Pattern[str], make: Callable[[re.Match[str], str], str | None]) -> str:
    folded = aligned_fold(text)
    out, last = [], 0
    for m in pattern.finditer(folded):
        new = make(m, text)
        if new is None:
            continue
        out.append(text[last:m.start()])
        out.append(new)
        last = m.end()
    out.append(text[last:])
    return "".join(out)


def _shorthand(m: re.Match[str]) -> str:
    word = m.group(0)
    lower = word.lower()
    if lower in _WORDS_WRITTEN:
        return _WORDS_WRITTEN[lower]
    if lower in _WORDS_FOLDED:
        return _WORDS_FOLDED[lower]
    return word


_DA_PARTICLE = re.compile(r"(?<!\w)[dD]ạ(?!\w)")
_ASKING_PARTICLE = re.compile(r"(?<!\w)(?:hả|hở|hử)(?:\s+(?:anh|chị|em|ạ))*\s*$", re.IGNORECASE)
# Southern/colloquial "chưa có làm", "không có làm", "hổng có đụng tới": "có" adds nothing before a verb.
_EMPTY_CO = re.compile(
    r"\b(chua|khong|chang)\s+co\s+(?=(?:lam|to chuc|dung|ra soat|trong|trien khai|thuc hien|di|viet|kiem tra|hop"
    r"|mo|phun|lay|bat dau|tap huan|nop|gui|cap nhat|tiem|chi|phat|lap|xay|sua|dang ky|hoc|thu|nhap|dieu tra"
    r"|khao sat|tuyen truyen|in|lam gi)\b)"
)
# Central "mô có" ("đâu có": there is no ...); "đâu có xong đâu" (it is not done at all).
_MO_CO = re.compile(r"(?<!\w)[mM]ô\s+có(?!\w)")
_DAU_CO_DAU = re.compile(r"\b(?:dau|co dau)\s+co\s+((?:[a-z]+\s+){0,2}?[a-z]+)\s+dau\b")


def _dau_co_dau(m: re.Match[str], text: str) -> str:
    words = text[m.start(1):m.end(1)]
    return f"chưa {words}" if aligned_fold(words) in {"xong", "hoan thanh", "xong het"} else f"không {words}"


# "không phải chưa làm, xong rồi": the denied words are dropped, with their clause.
# ... and "không phải vướng mà chưa đến đợt", "không phải chờ gì đâu" (to the "mà", or a short end of the reply)
_DENIAL = re.compile(
    r"\b(?:khong|ko|k|chang|chu|dau)\s+phai\s+(?:la\s+)?"
    r"(?:[^,.;!?]{0,80}?\s+ma\s+(?:la\s+)?|[^,.;!?]{0,80}[,.;!?]\s*(?:la\s+|ma\s+)?|[^,.;!?]{0,24}$)")


def _drop(m: re.Match[str], text: str) -> str:
    return ""


# "mốt" (Southern/Central "ngày kia", the day after tomorrow); "mai mốt" is "some day soon" (no date). Typed
# without diacritics, "mot" is "one" unless it leads a clause before a person or a verb ("mot em nop").
_MOT = re.compile(
    r"\b(mai\s+)?mot\b(?=\s+(?:em|e|xong|la|moi|minh|tui|toi|se|anh|chi|nop|gui|lam|di|trong|bao cao|hoan thanh"
    r"|ben em|nha|nhe|ha)\b|\s*[,.!]|\s*$)"
)


# Written with its accent, "mốt" is the day after tomorrow wherever it stands, except in a number ("hai mươi
# mốt", "ba mốt") or before one ("mốt 2 lớp" is not said).
_MOT_MARKED = re.compile(rf"\bmot\b(?!\s+(?:\d|{_NUMBER_WORD}\b|nua\b))")
_NUMBER_BEFORE = re.compile(rf"\b(?:{_NUMBER_WORD}|\d+)\s+$")


def _mot_marked(m: re.Match[str], text: str) -> str | None:
    if text[m.start():m.end()].lower() != "mốt" or _NUMBER_BEFORE.search(aligned_fold(text[:m.start()])):
        return None
    return "ngày kia"


def _mot(m: re.Match[str], text: str) -> str | None:
    written = text[m.start():m.end()]
    if m.group(1):
        return "sắp tới"
    if "ố" in written.lower():
        return None if _NUMBER_BEFORE.search(aligned_fold(text[:m.start()])) else "ngày kia"
    clause_start = re.search(r"(?:^|[,.;!?]|\b(?:thi|la|roi|nv\s*\d{1,2}|nhiem vu\s*\d{1,2}))\s*$",
                             aligned_fold(text[max(0, m.start() - 14):m.start()]))
    return "ngày kia" if written.isascii() and clause_start else None


# "mần" (Southern/Central "làm") typed without its accent, after a word that leads a verb: "chưa có man gì"
_MAN = re.compile(r"\b(?:chua|khong|moi|se|dang|co|tui|em|roi|de|di|chang|ma)\s+(man)\b(?!\s+(?:hinh|trang|kich|che))")


def _man(m: re.Match[str], text: str) -> str:
    return text[m.start():m.start(1)] + "làm"


# Northern s/x: "nàm song rồi", "làm song", "song hết": "song" after a verb of doing or before "rồi/hết" is "xong"
_SONG = re.compile(
    r"\b(?:(?:lam|da|vua|moi|chua|gan|sap|xong|ke|tap huan)\s+)(song)\b|\b(song)\b(?=\s+(?:roi|r|het|ca)\b)")
# Central "chi" (gì) after a verb of doing, at the end of its clause: "chưa làm chi hết", "làm chi được"
_CHI = re.compile(r"\b(?:lam|to chuc|nhap|viet|di|co)\s+(chi)\b(?=\s*(?:het|ca|duoc|$|[,.;!?]))")
# Central "mô" typed without its tone: "chưa mô" (not yet at all), "mo co" (there is no), "đi mô được"
_MO = re.compile(r"\b(?:chua|di|lam|o)\s+(mo)\b(?=\s*(?:het|ca|duoc|$|[,.;!?]))|\b(mo)\s+(?=co\b)")
# Northern "nắm" after a word it intensifies: "chậm nắm" is "chậm lắm"
_NAM_LAM = re.compile(r"\b(?:cham|kho|nhieu|met|lau|it|gap|ban|dai)\s+(nam)\b")


def _group_to(word: str, unaccented_only: bool = False) -> Callable[[re.Match[str], str], str | None]:
    def make(m: re.Match[str], text: str) -> str | None:
        group = next(i for i in range(1, (m.re.groups or 0) + 1) if m.group(i) is not None)
        written = text[m.start(group):m.end(group)]
        if unaccented_only and not written.isascii():
            return None
        return text[m.start():m.start(group)] + word + text[m.end(group):m.end()]
    return make


def _nam_lam(m: re.Match[str], text: str) -> str | None:
    return _group_to("lắm")(m, text) if text[m.start(1):m.end(1)].lower() == "nắm" else None


def regional(text: str) -> str:
    """Regional spellings and words whose folded form is another word, decided by the words around them."""
    text = _replace_all(text, _SONG, _group_to("xong", unaccented_only=True))
    text = _replace_all(text, _CHI, lambda m, t: None if t[m.start(1):m.end(1)].lower() not in {"chi"}
                        else _group_to("gì")(m, t))
    text = _replace_all(text, _MO, lambda m, t: None if t[m.start():m.end()].lower().endswith(("mở", "mổ", "mồ"))
                        or (m.group(2) is not None and t[m.start(2):m.end(2)].lower() not in {"mo", "mô"})
                        else _group_to("đâu" if m.group(1) else "không")(m, t))
    return _replace_all(text, _NAM_LAM, _nam_lam)


# English words young staff mix in ("on going, eta next week", "plan xong rồi nhưng chưa implement, chờ budget"),
# read before the telex decoder, which would take their letters for tone keys ("next" -> "nẽt")
_ENGLISH = {
    "not yet": "chưa", "on going": "đang làm", "ongoing": "đang làm", "in progress": "đang làm",
    "eta": "dự kiến xong", "next week": "tuần sau", "next month": "tháng sau",
    "sign": "ký", "budget": "kinh phí", "implement": "triển khai", "deadline": "hạn",
    "finished": "xong", "completed": "xong", "tomorrow": "ngày mai",
    "waiting for": "đang chờ", "waiting": "đang chờ",
    "fai": "phải",  # chat spelling, "f" for "ph" ("ko fai chưa làm"): the telex decoder would read "f" as a tone
}
_ENGLISH_RE = re.compile(
    r"(?<![\w/])(?:" + "|".join(sorted((re.escape(k).replace(r"\ ", r"\s+") for k in _ENGLISH), key=len, reverse=True))
    + r")(?![\w/])", re.IGNORECASE)


def _english(m: re.Match[str]) -> str:
    return _ENGLISH[" ".join(m.group(0).lower().split())]


# Central "đương" before a verb is "đang" ("đương làm", "đương chờ"); "đương nhiên", "đương sự" are kept
_DUONG = re.compile(
    r"(?<!\w)[đĐ]ương(?=\s+(?:làm|mần|thực|triển|tổ|rà|họp|tiêm|chờ|đợi|sửa|viết|nhập|xây|tập|khám|dạy|lấy|gom|đo"
    r"|cập|hoàn|chạy|in|soạn|tổng)(?!\w))")


def normalise(text: str) -> str:
    """The reply in the plain form the reader's cues know (see the module docstring)."""
    text = _ENGLISH_RE.sub(_english, text)
    text = _DUONG.sub("đang", text)
    text = untelex(text)
    text = _DA_PARTICLE.sub("vâng", text)  # "dạ" (yes) folds like "đã" (done): keep them apart
    text = _ASKING_PARTICLE.sub(lambda m: m.group(0) + " ?", text)  # "anh không nhận được hả": a question
    text = _CH_NOT_YET.sub("chưa ", text)
    text = _WORD_RE.sub(_shorthand, text)
    text = regional(text)
    text = _MO_CO.sub("không có", text)
    text = _replace_all(text, _DAU_CO_DAU, _dau_co_dau)
    text = _replace_all(text, _MAN, _man)
    text = _replace_all(text, _EMPTY_CO, lambda m, t: t[m.start(1):m.end(1)] + " ")
    text = _replace_all(text, _MOT, _mot)
    text = _replace_all(text, _MOT_MARKED, _mot_marked)
    denied = _replace_all(text, _DENIAL, _drop)
    text = denied if denied.strip() else text
    text = _EMOJI.sub(", ", text)
    text = _SPOKEN_COMMA.sub(r"\1,", _SPOKEN_STOP.sub(lambda m: f"{m.group(1) or m.group(2)}.", text))
    text = _replace_all(text, _UNIT_BOTH_SIDES, _unit_both_sides)
    text = _replace_all(text, _SHARE_SLASH,
                        lambda m, t: f"{t[m.start(1):m.end(1)]} {int(100 / int(m.group(2)) + 0.5)}%")
    text = _replace_all(text, _NOTHING_YET, lambda m, t: "chưa làm, được 0%")
    for pattern, make in _SPOKEN:
        text = _replace_all(text, pattern, make)
    return _replace_all(text, _EMPTY_CO, lambda m, t: t[m.start(1):m.end(1)] + " ")  # "hong co lam" -> "không làm"
