"""Pieces of a staff reply: percents, fractions, quantities, document numbers and the blocker text.

Everything is matched on folded text (see `Reply`), which has exactly the length of the cleaned original,
so a match's span also cuts the words out of the original as the person wrote them.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from bot.base.text import nfc
from bot.readers import reply_vocab as vocab

_SPACES = re.compile(r"\s+")


@lru_cache(maxsize=4096)
def _fold_char(ch: str) -> str:
    base = "".join(c for c in unicodedata.normalize("NFD", ch) if unicodedata.category(c) != "Mn")
    base = base.replace("đ", "d").replace("Đ", "D").lower()
    return base[:1] if base else " "


@dataclass(frozen=True)
class Reply:
    """The cleaned reply (`original`) and its folded twin of the same length (lower case, no diacritics)."""

    original: str
    folded: str

    @classmethod
    def of(cls, text: str) -> Reply:
        composed = nfc(text).translate(str.maketrans({"–": "-", "—": "-", "‐": "-", "‑": "-", "−": "-"}))
        composed = "".join(c for c in composed if unicodedata.category(c) != "Mn")
        cleaned = _SPACES.sub(" ", composed).strip()
        return cls(cleaned, "".join(_fold_char(c) for c in cleaned))

    def words(self) -> list[str]:
        return re.findall(r"[a-z0-9]+", self.folded)


def masked(text: str, spans: list[tuple[int, int]]) -> str:
    """`text` with each span blanked out (length kept)."""
    chars = list(text)
    for start, end in spans:
        chars[start:end] = " " * (end - start)
    return "".join(chars)


def _number(raw: str) -> float:
    """"1.200" -> 1200, "2,5" -> 2.5, "62.5" -> 62.5 (a dot before exactly three digits groups thousands)."""
    if re.fullmatch(r"\d{1,3}(?:\.\d{3})+", raw):
        return float(raw.replace(".", ""))
    return float(raw.replace(",", "."))


def _int_or_float(value: float) -> int | float:
    return int(value) if value == int(value) else value


# ---- percents ------------------------------------------------------------------------------------------------

_PERCENT = re.compile(
    r"(?<![\d.,/-])(\d{1,5}(?:[.,]\d{1,2})?)(?:\s*-\s*\d{1,3}(?:[.,]\d{1,2})?)?\s*(?:%|phan tram\b|pt\b)"
)
_PERCENT_CUE = re.compile(
    r"(?:dat|duoc|hoan thanh|xong|khoang|tien do|khoi luong|thuc hien|len|tren|gan|ht|muc|ty le|tong the|trien khai"
    r"|lam|chung)\s*(?:duoc\s*)?(?:khoang\s*)?[:~=]?\s*$"
)


@dataclass(frozen=True)
class Found:
    value: float
    start: int
    end: int


def find_percent(folded: str) -> Found | None:
    """The percent that describes progress: the first one after "đạt/được/hoàn thành..." else the first one."""
    found = [Found(_number(m.group(1)), m.start(), m.end()) for m in _PERCENT.finditer(folded)]
    if not found:
        return None
    for item in found:
        if _PERCENT_CUE.search(folded[max(0, item.start - 24):item.start]):
            return item
    return found[0]


def all_percents(folded: str) -> list[Found]:
    """Every percent written, in order ("CCCD xong 100%, VNeID mới được 65%": 100 and 65)."""
    return [Found(_number(m.group(1)), m.start(), m.end()) for m in _PERCENT.finditer(folded)]


def percent_spans(folded: str) -> list[tuple[int, int]]:
    return [m.span() for m in _PERCENT.finditer(folded)]


# ---- fractions ("hoàn thành 2/3 nội dung") ---------------------------------------------------------------

# a count as written, thousands grouped by dots ("1.200/3.000 hồ sơ") or not
_NUMBER = r"\d{1,3}(?:\.\d{3})+(?![\d.])|\d{1,4}"
_FRACTION = re.compile(rf"(?<![\d/.])({_NUMBER})\s*/\s*({_NUMBER})(?![\d/]|\s*/|\s*-?[a-z]{{1,4}}-)")
_FRACTION_BEFORE = re.compile(
    r"(?:(?:dat|duoc|hoan thanh|xong|ht|thuc hien|trien khai|lam|giai ngan)|(?:dat|duoc)\s*(?:khoang|tam|gan|chung"
    r"|xap xi))\s*$"
)
# "5 trên 10 xã", "2 lớp trên tổng số 5 lớp", "4 trong 5 cơ sở", "3 ấp trên tổng 12 ấp"
_OUT_OF = re.compile(
    rf"(?<![\d/.,])({_NUMBER})(?:(?:\s+[a-z]+){{0,2}}?(?:\s+(?:tren|trong)\s+(?:tong\s+(?:so\s+)?)?"
    r"|\s*,\s*tong\s+(?:so\s+)?)"
    r"|(?:\s+[a-z]+){3,5}?\s+tren\s+tong\s+(?:so\s+)?)"
    rf"({_NUMBER})(?![\d/.,]\d)"
)
# a reply that is only a share and particles: "3/5", "1/4 thôi ạ", "1/3 thoi, kho qua a"
_SHARE_ALONE = re.compile(
    r"^\s*(?:(?:moi|duoc|dc|vang|da)\s+)*#(?:\s+(?:thoi|a|ah|nhe|nha|roi|r|anh|chi|em|oi|a|nua))*\s*(?:[,.!].*)?$")
_DATE_BEFORE = re.compile(r"(?:ngay|truoc|den|han|vao|tu|sau|hom|trong|luc|dk|du kien|toi)\s*$")


def _count_noun() -> str:
    extra = {"muc", "tieu chi", "phan", "so", "cong viec", "viec", "ap", "khu dan cu", "khu", "tuyen", "can", "chiec",
             "tram", "camera", "nha", "cum", "lo", "thua", "goi", "hang muc", "nganh", "the", "kenh", "quan",
             "cua hang", "to", "phong", "khoi", "quyen", "ban ghi", "nhom", "doi", "tieu khu", "buon", "khom", "xom",
             "lang", "khoa", "chi hoi"}
    return "|".join(sorted({*_UNITS, *extra}, key=len, reverse=True))


# "được 2 lớp rồi, còn 2 lớp nữa", "rà được 2 ấp rồi chị, còn 3 ấp": so many done and so many of the same left
_DONE_AND_LEFT = re.compile(
    r"(?<![\d/.,])(\d{1,4})\s+([a-z]+(?: [a-z]+)?)\b(?:\s+(?:roi|r))?(?:\s+(?:anh|chi|a|ah|nhe|nha|oi))*\s*[,.]?\s*"
    r"(?:(?:va|nhung|thi|gio)\s+)?(?:con|con lai)\s+(?:khoang\s+|chung\s+|tam\s+)?(\d{1,4})\s+\2\b"
)
_DONE_BEFORE_COUNT = re.compile(
    r"\b(?:duoc|xong|dat|hoan thanh|ht|lam|to chuc|trien khai|ra soat|cap|kiem tra|thuc hien)\s*$"
)


def _count(written: str) -> int:
    return int(written.replace(".", ""))


def find_fraction(folded: str) -> Found | None:
    """A share of the work ("2/3 nội dung" -> 66.67, "5 trên 10 xã" -> 50): N/M with N <= M, either before a
    count noun or right after "đạt/hoàn thành/xong (khoảng)"; "xong 20/6" and "trước 2/3" stay dates."""
    for m in _OUT_OF.finditer(folded):
        num, den = _count(m.group(1)), _count(m.group(2))
        if den > 0 and num <= den:
            return Found(100.0 * num / den, m.start(), m.end())
    for m in _FRACTION.finditer(folded):
        num, den = _count(m.group(1)), _count(m.group(2))
        if den == 0 or num > den:
            continue
        counted = re.match(rf"\s+(?!(?:anh|chi|em)\b)(?:{_COUNT_NOUN})\b", folded[m.end():m.end() + 30])
        if num == den == 50 and not counted:
            continue  # "50/50 ạ": even chances (a guess, not a share of the work), unless a count follows
        before = folded[max(0, m.start() - 20):m.start()]
        after = folded[m.end():m.end() + 30]
        if _DATE_BEFORE.search(before) and not re.match(rf"\s+(?:{_COUNT_NOUN})\b", after):
            continue
        not_a_day = num == 0 or num > 31 or den > 12  # "0/4", "1200/1500 con": no day of a month
        alone = _SHARE_ALONE.match(folded[:m.start()] + "#" + folded[m.end():])  # "1/3 thôi ạ": the whole reply
        if re.match(rf"\s+(?:{_COUNT_NOUN})\b", after) or _FRACTION_BEFORE.search(before) or not_a_day or alone:
            return Found(100.0 * num / den, m.start(), m.end())
    for m in _DONE_AND_LEFT.finditer(folded):
        done, left = int(m.group(1)), int(m.group(3))
        if done + left > 0 and _DONE_BEFORE_COUNT.search(folded[max(0, m.start() - 20):m.start()]):
            return Found(100.0 * done / (done + left), m.start(), m.end())
    return None


# ---- document numbers ("123/BC-UBND", "12/2026/NĐ-CP", "văn bản số 45") ------------------------------------

_DOC = re.compile(r"(?<![\w/])\d{1,5}(?:/\d{2,4})?/[a-z][a-z0-9]*(?:-[a-z0-9&]+)+")
_DOC_BY_NUMBER = re.compile(
    r"\b(?:van ban|cong van|cv|bao cao|bc|ke hoach|kh|quyet dinh|qd|to trinh|thong bao|tb)\s+so\s*:?\s*"
    r"(\d{1,5}(?:/[a-z0-9]+(?:-[a-z0-9]+)*)?)(?![\w/])"
)


def find_document(reply: Reply) -> Found | None:
    """The cited document number as written; `value` is unused (0)."""
    m = _DOC.search(reply.folded)
    if m:
        return Found(0, m.start(), m.end())
    m = _DOC_BY_NUMBER.search(reply.folded)
    if m:
        return Found(0, m.start(1), m.end(1))
    return None


# ---- quantities ("đã đăng 3 tin bài", "1.200 lượt người") ---------------------------------------------------

_UNITS = {
    "tin bai", "tin", "bai viet", "bai", "phong su", "chuyen muc", "chuong trinh", "luot nguoi", "luot truy cap",
    "luot", "nguoi", "hoc vien", "dai bieu", "can bo", "cong chuc", "vien chuc", "dang vien", "hoi vien",
    "ho gia dinh", "ho", "hoi nghi", "hoi thao", "cuoc hop", "cuoc", "lop tap huan", "lop", "buoi", "dot", "lan",
    "van ban", "ke hoach", "bao cao", "quyet dinh", "cong van", "ho so", "thu tuc hanh chinh", "thu tuc", "tthc",
    "xa", "phuong", "thi tran", "thon", "ban", "to dan pho", "don vi", "co quan", "truong", "co so",
    "doanh nghiep", "hop tac xa", "mo hinh", "cau lac bo", "clb", "diem", "cong trinh", "du an", "km", "m2", "ha",
    "tan", "trieu dong", "trieu", "ty dong", "ty", "nghin dong", "dong", "cai", "bo", "cuon", "to roi", "tai lieu",
    "pano", "bang ron", "khau hieu", "san pham", "truong hop", "vu viec", "vu", "don thu", "kien nghi", "noi dung",
    "nhiem vu", "chi tieu", "hang muc", "phan mem", "may tinh", "may", "video", "clip", "hoc sinh", "thanh vien",
    "tu lieu", "anh", "chuyen de", "doan", "cuoc kiem tra", "bai tuyen truyen", "tin anh", "sach", "ban tin",
}
_COUNT_NOUN = _count_noun()
_QUANTITY = re.compile(
    r"(?<![\d/.,:%])(\d{1,3}(?:\.\d{3})+|\d+(?:,\d+)?)\s+("
    + "|".join(sorted(_UNITS, key=len, reverse=True))
    + r")\b(?!\s*/\s*\d)"
)


@dataclass(frozen=True)
class QuantityFound:
    value: int | float
    unit: str


def find_quantities(reply: Reply, folded: str) -> list[QuantityFound]:
    """Numbers with a countable unit; `folded` is the reply's folded text with dates/percents blanked."""
    found = []
    for m in _QUANTITY.finditer(folded):
        before = folded[max(0, m.start() - 12):m.start()]
        if re.search(r"(?:lan thu|dot|quy|giai doan|so|buoc|phan|ngay|thang|nam|muc)\s*$", before):
            continue
        unit = reply.original[m.start(2):m.end(2)]
        found.append(QuantityFound(_int_or_float(_number(m.group(1))), unit))
    return found


# ---- the blocker -------------------------------------------------------------------------------------------

_BLOCKER_END = re.compile(
    r"[;!?\n]|\.(?=\s|$)|\s+nen\s+|\s+dan den\s+|\s+nhung\s+|,?\s+(?:du kien|dk|dat \d|dang (?:thuc hien|trien khai"
    r"|lam)|hien (?:da|dang|nay)|se|tien do|truoc|tuy nhien|con lai|phan dau|cam on|da (?:xong|hoan thanh"
    r"|thuc hien|trien khai))\b|,\s*\d+\s*%"
)
_ONLY_PARTICLES = re.compile(
    r"(?:[\s.,!]*\b(?:a|ah|nha|nhe|nhen|nghen|anh|chi|em|oi|ne|do|ha|dau|ca|het|nua|luon|tron)\b)*[\s.,!]*$"
)
_START_VERB_AFTER = re.compile(r"\s*(?:thuc hien|trien khai|lam|bat dau|tien hanh|to chuc)\b")
# "chưa có kết quả", "chưa có gì", "chưa được bao nhiêu", "chưa có, ...", "hổng có đâu, ...": not yet, not a lack
_NOT_A_LACK = re.compile(r"\s*(?:(?:ket qua|gi|bao nhieu|nhieu|may|toi dau|den dau|dau)\b|[,.;!]"
                         r"|(?:[a-z]+\s+){1,3}?nao\b)")  # "không có ổ dịch nào": none of them, not a lack
_SENTENCE_START = re.compile(r"[.;!?\n][^.;!?\n]*$")
_CLEAN_EDGES = " ,.;:-–\"'()"


@dataclass(frozen=True)
class BlockerFound:
    text: str | None  # as written, cleaned; None when the cue has no words after it ("vì...")
    start: int  # where the cue starts (the span to blank out before reading the status)
    end: int


_GENERIC = frozenset({"kho khan", "vuong mac", "gap kho khan", "gap vuong mac", "vuong"})


@dataclass(frozen=True)
class _Cue:
    start: int  # where the cue word starts
    text_start: int  # where the blocker's words start
    generic: bool  # "khó khăn", "vướng mắc": a more specific cause after it is preferred


def _cue_candidates(folded: str, extra: tuple[int, ...] = ()) -> list[_Cue]:
    """Every blocker cue; introducers ("vướng:") and causes ("do", "vì") drop their cue word. `extra` are the
    starts of obstacles found elsewhere (a wait on someone, a pause, a breakdown): they keep their first word."""
    blanked = masked(folded, [m.span() for m in vocab.NO_BLOCKER.finditer(folded)])
    candidates = [_Cue(m.start(), m.end(), False) for m in vocab.BLOCKER_INTRO.finditer(blanked)]
    candidates += [_Cue(start, start, False) for start in extra]
    for m in vocab.BLOCKER_SELF.finditer(blanked):
        rest = blanked[m.end():]
        if m.group(0) in {"chua co", "chua duoc", "khong co", "ko co", "k co"} and (
            _ONLY_PARTICLES.match(rest) or _NOT_A_LACK.match(rest)
            or (m.group(0) == "chua duoc" and _START_VERB_AFTER.match(rest))
        ):
            continue  # "chưa có ạ" is a plain "not yet"; "chưa được triển khai" is not started
        candidates.append(_Cue(m.start(), m.start(), m.group(0) in _GENERIC))
    for m in vocab.BLOCKER_CAUSE.finditer(blanked):
        sentence = blanked[:m.start()]
        tail = _SENTENCE_START.search(sentence)
        sentence = sentence[tail.start():] if tail else sentence
        if vocab.NEGATIVE_STATE.search(sentence) or vocab.BLOCKER_SELF.match(blanked, m.end()):
            candidates.append(_Cue(m.start(), m.end(), False))
    return candidates


def _clause_end(folded: str, start: int) -> int:
    match = _BLOCKER_END.search(folded, start)
    return match.start() if match else len(folded)


def find_blocker(reply: Reply, folded: str, extra: tuple[int, ...] = ()) -> BlockerFound | None:
    """The first blocker in the reply, up to the end of its clause ("gặp khó khăn do thiếu kinh phí" ->
    "thiếu kinh phí": a specific cause inside a generic one wins)."""
    candidates = sorted(_cue_candidates(folded, extra), key=lambda c: (c.start, -c.text_start))
    if not candidates:
        return None
    chosen = candidates[0]
    end = _clause_end(folded, chosen.text_start)
    if chosen.generic:
        inner = [c for c in candidates
                 if chosen.text_start < c.start < end and not c.generic and c.text_start > c.start]
        if inner:
            chosen = _Cue(chosen.start, inner[0].text_start, False)
            end = max(end, _clause_end(folded, chosen.text_start))
    text = _strip_polite(reply.original[chosen.text_start:end].strip(_CLEAN_EDGES)).strip(_CLEAN_EDGES)
    return BlockerFound(text if len(text) >= 2 else None, chosen.start, end)


_TRAILING_ADDRESS = re.compile(r"(?:[\s,.!]+(?:anh|chi|em|oi|a|ah|nhe|nha|nhen|nghen|ne|do|ha|nghe)\b)+[\s.!]*$")


def _strip_polite(text: str) -> str:
    """A blocker without the particles and forms of address that end the sentence ("... anh ạ", "... nghen")."""
    folded = "".join(_fold_char(c) for c in text)
    m = _TRAILING_ADDRESS.search(folded)
    return text[:m.start()] if m else text


# ---- waiting on someone else, paused, broken -----------------------------------------------------------------

@dataclass(frozen=True)
class Obstacle:
    """Why the work is stuck, when it is stuck on someone or something outside the unit's hands."""

    start: int  # where the obstacle's words start (in folded text, which has the original's length)
    approval: bool  # not a blocker (no longer set: the writers read a wait for approval as blocked)
    time: bool = False  # a wait for a time or season ("chờ qua Tết"): a plan when nothing was started
    end: int = 0  # where a wait's clause ends
    weak: bool = False  # a pause with no cause ("tạm dừng"): the blocker only when nothing better is written


def _clause_start(folded: str, at: int) -> int:
    return max(folded.rfind(mark, 0, at) for mark in ",.;!?:\n(") + 1


def _is_wait(reply: Reply, folded: str, m: re.Match[str]) -> bool:
    written = reply.original[m.start(1):m.end(1)].lower()
    if written in {"chờ", "đợi", "ngóng"}:
        return True
    if not written.isascii():  # "đội", "đổi", "đối", "chó"
        return False
    before = folded[max(0, m.start() - 30):m.start()]
    at_start = not before.strip() and not folded[:m.start()].strip()
    return (at_start or bool(vocab.WAIT_LEAD.search(before))) and not vocab.NOT_A_WAIT.match(folded, m.start())


def find_obstacles(reply: Reply, folded: str) -> list[Obstacle]:
    """Waits on someone else ("chờ Sở hướng dẫn"), pauses ("tạm dừng"), breakdowns ("phần mềm lỗi, chưa nhập
    được") and "X nên chưa làm được" (X is the obstacle), in reading order."""
    found: list[Obstacle] = []
    for m in vocab.WAIT_WORD.finditer(folded):
        if len(found) < 8 and _is_wait(reply, folded, m):  # a reply names a few obstacles, not hundreds
            end = min(_clause_end(folded, m.start()), m.start() + 120)
            clause = folded[m.start():end]
            approval = False  # a wait for approval is blocked too: the five writers say so (21 replies of 22)
            time = bool(vocab.TIME_WAIT.match(clause)) and not vocab.NOT_JUST_TIME.search(clause)
            found.append(Obstacle(m.start(), approval, time=time, end=end))
    for m in vocab.UNANSWERED.finditer(folded):
        found.append(Obstacle(m.start(1), False))
    for m in vocab.CAUSE_THEN_NOT.finditer(folded):
        found.append(Obstacle(_clause_start(folded, m.start()), False))
    negative = re.search(r"\b(?:chua|khong|ko|k|chang|cha)\b", folded)
    for m in vocab.BROKEN.finditer(folded):
        if negative or any(not o.approval for o in found):
            found.append(Obstacle(_clause_start(folded, m.start()), False))
    for m in vocab.PAUSED.finditer(folded):
        found.append(Obstacle(m.start(), False, weak=True))
    return sorted(found, key=lambda o: o.start)
