"""Read a staff member's short reply ("dang lam 50% du kien xong 20/6") into a status report.

Before reading, the reply is put in plain form (`bot.readers.reply_normal`): telex/VNI leftovers decoded
("hoafn thanhf"), spoken numbers turned to figures ("tám mươi phần trăm", "ba phần tư", "một nửa"), shorthand and
regional words ("dc", "r", "hok", "hổng có làm", "tuần ni"), "dạ" kept apart from "đã", denied clauses dropped
("không phải chưa làm, ..."). Clauses that only say paperwork is still to come after the work is done ("xong rồi,
biên bản đang hoàn thiện") are left out. A reply naming several tasks or parts (NV1 / NV2, đợt 1 / đợt 2) is read
part by part (`parts`; see `read_reply`).

Decisions, in the order they are applied (the first that fits wins):

0. Questions ("hạn 30/6 hay 30/9 vậy anh", "... được không", "quý nào"), busy replies ("đang họp, lát em báo"),
   replies saying the task is not theirs ("bên công an xã chủ trì") or was reported before ("em báo là xong rồi
   mà") are `unknown`: the bot asks back.
1. Negated completion ("chưa xong", "chưa hoàn thành", "cht") is `in_progress`: started, not finished.
   "không hoàn thành", "không thực hiện được", "không thể" are `blocked`: the unit says it cannot; "không kịp
   xong, mới làm được một nửa" is late but going, `in_progress`.
2. Waiting on someone else, paused or broken ("chờ Sở hướng dẫn", "đợi kinh phí", "tạm dừng", "phần mềm lỗi,
   chưa nhập được", "X nên chưa làm được") is `blocked` with that obstacle as the blocker, even with a percent
   ("làm được 12/20 căn, số còn lại chờ vốn vay"), unless a completion date is planned. A wait for the approval
   or signature of what was submitted ("chờ phê duyệt", "đang chờ UBND tỉnh phê duyệt", "chờ ký") is `blocked`
   too: the five writers of the corpus read it so (21 replies of 22); once the work is done and only the
   signature is left ("kiểm tra xong rồi, còn kết luận chờ chủ tịch ký") it is `done`. A wait for a time or a
   season with nothing started ("chưa làm, chờ qua Tết") is a plan, `not_started`; so is a start planned for a
   day to come with nothing done ("thứ 2 tới ra quân", "sau Tết mới làm"), while a completion planned
   ("tuần sau xong") is `in_progress`. Late with no obstacle ("không xong kịp hạn, chắc sang tháng sau") is
   `in_progress`.
3. A percent decides next: 0% is `not_started` (`blocked` with a blocker), 100% is `done`, 1..99% is
   `in_progress` even after "hoàn thành" ("hoàn thành 80%"). "2/3 nội dung", "5 trên 10 xã", "2 lớp trên tổng
   số 5" count as shares. Over 100% up to 500% is over-achievement: `done`, recorded as 100 with a caveat; above
   500% the number is ignored as nonsense (the reply is `unknown` unless words say more).
4. "chưa triển khai / chưa làm / chưa", and a reply opening with "chưa" + what was not done ("chưa rà soát",
   "dạ em chưa viết"), is `not_started`, also with a plan for later ("quý IV mới làm", "sau Tết mới làm xong
   được"); with a cause ("do chưa có kinh phí") it is `blocked`, because the coordinator must act on it. If
   something is done or under way too, `in_progress`.
5. Completion words ("hoàn thành", "xong", "ht", "done") are `done`, except when the same reply says work is
   still under way ("xong dự thảo, đang trình ký"), done only in part ("giai đoạn 1", "cơ bản", "gần hết",
   "được quá nửa"), or completion is in the future ("dự kiến xong 20/6", "sẽ hoàn thành", "thứ 6 này xong").
   A blocker next to a completion ("hoàn thành nhưng còn vướng thủ tục thanh toán") keeps `done`: the work is
   finished, the blocker is recorded for the coordinator.
6. Work under way ("đang ...", "dtk", "trình ký", "gửi dự thảo xin ý kiến", "chậm", "mới bắt đầu") is
   `in_progress`; a blocker stays in its own field.
7. A finished action ("đã ban hành", "đã tổ chức 2 hội nghị", "kế hoạch ban hành rồi", "đã gửi báo cáo") is
   `done`.
8. A blocker alone ("vướng: chưa có hướng dẫn", "khó khăn về nhân lực") is `blocked`.
9. A completion date alone ("tuần sau xong", "thứ 6 tuần sau em gửi báo cáo") is `in_progress`.
10. Anything else is `unknown` with a reason the bot can ask back with: acknowledgements ("ok", "đã nhận",
   "dạ"), greetings, promises to answer later ("mai em gửi", "để em hỏi lại"), a bare date, and "đã báo cáo
   bằng văn bản số 123/BC-UBND". That last one names the letter (kept in `document_ref`) but not the task's
   state, and the letter may well say "đang triển khai", so the bot asks instead of guessing `done`.

Last, a second opinion (`bot.readers.reply_model`, character n-grams and a linear model trained on the writers'
corpus): the rules' status is recorded only when the model agrees, or when the evidence is exact (a percent or a
share that decides the status, a completion day still to come). Otherwise the reply is `unknown`, with the rules'
reading in `guess` and in the question, so the bot asks back showing what it understood.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import date
from itertools import pairwise
from typing import Any

from bot.readers import reply_vocab as vocab
from bot.readers.reply_dates import DateFound, completion_date, done_day, written_date
from bot.readers.reply_model import ReplyModel, shipped_model
from bot.readers.reply_normal import normalise
from bot.readers.reply_parts import (
    BlockerFound,
    Found,
    Reply,
    all_percents,
    find_blocker,
    find_document,
    find_fraction,
    find_obstacles,
    find_percent,
    find_quantities,
    masked,
    percent_spans,
)
from bot.readers.reply_split import split_parts

DONE, IN_PROGRESS, NOT_STARTED, BLOCKED, UNKNOWN = "done", "in_progress", "not_started", "blocked", "unknown"
STATUSES = (DONE, IN_PROGRESS, NOT_STARTED, BLOCKED, UNKNOWN)
LABELS_VI = {
    DONE: "Đã hoàn thành",
    IN_PROGRESS: "Đang thực hiện",
    NOT_STARTED: "Chưa thực hiện",
    BLOCKED: "Đang vướng mắc",
    UNKNOWN: "Chưa rõ tình trạng",
}
OVER_ACHIEVEMENT_LIMIT = 500  # "đạt 120% kế hoạch" is real; "5000%" is a typo


@dataclass(frozen=True)
class Quantity:
    value: float | int
    unit: str

    def to_json(self) -> dict[str, Any]:
        return {"value": self.value, "unit": self.unit}

    def describe_vi(self) -> str:
        return f"{str(self.value).replace('.', ',')} {self.unit}"


@dataclass(frozen=True)
class PartReading:
    """One task or part of a reply that speaks of several ("NV1 xong, NV2 đang làm 50%")."""

    ref: str  # as written: "NV1", "đợt 2", "NV1, NV2"
    status: str
    percent: int | None = None
    expected_date: date | None = None
    blocker: str | None = None
    task_code: bool = False  # a task of the plan (NV1), not a stage of the one asked about

    def to_json(self) -> dict[str, Any]:
        return {"ref": self.ref, "status": self.status, "percent": self.percent,
                "expected_date": self.expected_date.isoformat() if self.expected_date else None,
                "blocker": self.blocker, "task_code": self.task_code}

    def describe_vi(self) -> str:
        parts = [LABELS_VI[self.status] if not (self.status == BLOCKED and self.blocker)
                 else f"{LABELS_VI[BLOCKED]}: {self.blocker}"]
        if self.percent is not None and not (self.status == DONE and self.percent == 100):
            parts.append(f"đạt {self.percent}%")
        if self.expected_date:
            parts.append(f"{'ngày' if self.status == DONE else 'dự kiến xong'} {self.expected_date:%d/%m/%Y}")
        return f"{self.ref}: " + ", ".join(parts)


@dataclass(frozen=True)
class StatusReading:
    status: str  # one of STATUSES
    percent: int | None = None  # 0..100
    expected_date: date | None = None  # completion date: expected, or the day it was done for `done`
    blocker: str | None = None  # as written, cleaned ("chưa có kinh phí")
    note: str | None = None  # the reply for the record, minus greetings and trailing particles
    quantities: tuple[Quantity, ...] = field(default_factory=tuple)
    document_ref: str | None = None  # "123/BC-UBND"
    reason: str | None = None  # for `unknown`: what is missing, in Vietnamese, to ask back
    caveat: str | None = None  # what the reader adjusted ("120% ghi nhận là 100%"), to show in the confirmation
    parts: tuple[PartReading, ...] = ()  # when the reply speaks of several tasks or parts, each one as read
    guess: str | None = None  # for `unknown` when rules and model disagree: the rules' status, shown when asking
    # the words decide without the model: another part of a done reply is plainly not done ("kênh B chưa", "còn 2 xã")
    exact: bool = field(default=False, compare=False, repr=False)

    @property
    def several_tasks(self) -> bool:
        """The reply reports on other tasks of the plan too (NV1, NV2): it must not be recorded on one task."""
        return any(p.task_code for p in self.parts)

    @property
    def needs_asking(self) -> bool:
        """Ask back instead of recording: the state is unclear, or the reply covers several tasks of the plan."""
        return self.status == UNKNOWN or self.several_tasks

    @property
    def ask_reason(self) -> str | None:
        """Why the bot asks back, in Vietnamese, showing what was understood."""
        if self.status != UNKNOWN and self.several_tasks:
            understood = "; ".join(p.describe_vi() for p in self.parts)
            return (f"tin nhắn nói về nhiều nhiệm vụ ({understood}); mỗi nhiệm vụ xin trả lời vào thẻ của nhiệm vụ "
                    "đó, còn nhiệm vụ này xin chọn một trạng thái")
        return self.reason

    def to_json(self) -> dict[str, Any]:
        return {
            "status": self.status,
            "percent": self.percent,
            "expected_date": self.expected_date.isoformat() if self.expected_date else None,
            "blocker": self.blocker,
            "note": self.note,
            "quantities": [q.to_json() for q in self.quantities],
            "document_ref": self.document_ref,
            "reason": self.reason,
            "caveat": self.caveat,
            "parts": [p.to_json() for p in self.parts],
            "guess": self.guess,
        }

    def describe_vi(self) -> str:
        """One Vietnamese line saying what was understood, for the confirmation message."""
        if self.status == UNKNOWN:
            return f"{LABELS_VI[UNKNOWN]}: {self.reason}"
        if self.parts:
            return "; ".join(p.describe_vi() for p in self.parts) + "."
        blocked_by = self.status == BLOCKED and self.blocker
        parts = [f"{LABELS_VI[BLOCKED]}: {self.blocker}" if blocked_by else LABELS_VI[self.status]]
        if self.percent is not None and not (self.status == DONE and self.percent == 100):
            parts.append(f"đạt {self.percent}%")
        if self.expected_date:
            when = "ngày" if self.status == DONE else "dự kiến xong"
            parts.append(f"{when} {self.expected_date:%d/%m/%Y}")
        if self.quantities:
            parts.append("số liệu: " + ", ".join(q.describe_vi() for q in self.quantities))
        if self.document_ref:
            parts.append(f"văn bản số {self.document_ref}")
        if self.blocker and not blocked_by:
            parts.append(f"vướng mắc: {self.blocker}")
        line = ", ".join(parts)
        return f"{line} ({self.caveat})." if self.caveat else f"{line}."


@dataclass(frozen=True)
class _Cues:
    """Which kinds of words the reply holds (blocker text and negated blockers blanked out)."""

    not_yet_done: bool
    cannot: bool
    not_started: bool
    future_start: bool
    plan_start: bool  # a verb that starts the work ("tổ chức", "mở lớp", "làm")
    starts_later: bool  # "tuần sau mới bắt đầu": "mới" after a time to come is "only then", not "just now"
    future_done: bool
    partly_done: bool
    done_word: bool
    past_done_word: bool  # "đã hoàn thành", "đã xong": completion in the past tense
    under_way: bool
    action_done: bool
    reported: bool
    deferred: bool
    promise_only: bool  # deferred only by "em gửi/nộp ..." (delivering the work), not "trả lời sau", "kiểm tra lại"
    question: bool
    not_ours: bool
    failed_only: bool  # "không (kịp) xong", not "không thể", "không làm được"
    much_left: bool  # "còn nhiều lắm"
    late: bool  # "không kịp hạn", "không đúng hạn được", "chắc phải sang tháng sau": late, not stopped
    busy: bool  # "đang họp", "lát em báo": not an answer yet
    choice_asked: bool = False  # "... của phòng em hay của cả xã ạ?": a question even with a share in it
    unsure: bool = False  # "được 3/5 hay 3/6 gì đó": the figure is a guess, so is the status

    @classmethod
    def of(cls, text: str) -> _Cues:
        return cls(
            not_yet_done=bool(vocab.NOT_YET_DONE.search(text)),
            cannot=bool(vocab.FAILED_DONE.search(text) or vocab.CANNOT.search(text)),
            not_started=bool(vocab.NOT_STARTED.search(text)),
            future_start=bool(vocab.FUTURE_START.search(text)),
            plan_start=bool(vocab.PLAN_START.search(text)),
            starts_later=bool(_STARTS_LATER.search(text)),
            future_done=bool(vocab.FUTURE_DONE.search(text)),
            partly_done=bool(vocab.PARTLY_DONE.search(text)),
            done_word=bool(_DONE_WORD.search(text)),
            past_done_word=bool(_PAST_DONE_WORD.search(text)),
            under_way=bool(vocab.DOING.search(text) or vocab.STAGE.search(text)),
            action_done=bool(vocab.ACTION_DONE.search(text)),
            reported=bool(vocab.REPORTED.search(text)),
            deferred=bool(vocab.DEFERRED.search(text)),
            promise_only=bool(vocab.PROMISE.search(text)) and not vocab.DEFERRED.search(vocab.PROMISE.sub(" ", text)),
            question=bool(vocab.QUESTION.search(text)
                          or (vocab.WHICH.search(text) and not vocab.NEGATION.search(text))),
            not_ours=bool(vocab.NOT_OURS.search(text)),
            failed_only=bool(vocab.FAILED_DONE.search(text)) and not vocab.CANNOT.search(text),
            much_left=bool(re.search(r"\bcon (?:nhieu|kha nhieu|nhieu lam|nhieu viec)\b", text)),
            late=bool(_LATE.search(text)),
            busy=bool(vocab.BUSY.search(text)),
            choice_asked=bool(vocab.CHOICE_ASKED.search(text)),
        )


# (not "qua Tết mới làm nốt": the rest of the work, so some of it is done)
# (nor "vừa mới bắt đầu", "mới bắt đầu từ sáng nay": just started, so under way)
_STARTS_LATER = re.compile(
    r"(?<!\bvua )\bmoi\s+(?:[a-z]+\s+)?(?:bat dau|bat tay|lam|trien khai|to chuc|thuc hien|tien hanh|khoi cong)\b"
    r"(?!\s+not\b)(?!(?:\s+[a-z]+){0,2}\s+tu\s+(?:hom|bua|sang|chieu|trua|tuan truoc|thang truoc|dau tuan|dau thang)\b)"
)
_LATE = re.compile(
    r"\b(?:kip|dung)\s+han\b|\bkip\b(?:\s+[a-z]+){0,3}\s+han\b|\bgia han\b"
    r"|\b(?:sang|qua|den)\s+(?:thang|tuan|quy)\s+(?:sau|toi)\b|\btrong\s+(?:thang|tuan|quy)\s+nay\b"
)
_DONE_WORD = re.compile(rf"\b{vocab.DONE_WORD}\b")
_PAST_DONE_WORD = re.compile(rf"\b(?:da|d)\s+(?:[a-z]+\s+)?{vocab.DONE_WORD}\b")
_IGNORED_FOR_ALONE = frozenset({"a", "ah", "ak", "nhe", "nha", "em", "e", "da", "vang", "roi", "r"})


@dataclass(frozen=True)
class _Percent:
    value: int | None
    caveat: str | None = None
    invalid: str | None = None  # reason when the number makes no sense


def _read_percent(found: Found | None, *, from_fraction: bool) -> _Percent:
    if found is None:
        return _Percent(None)
    raw = found.value
    shown = f"{raw:g}".replace(".", ",")
    if raw > OVER_ACHIEVEMENT_LIMIT:
        return _Percent(None, invalid=f"tỷ lệ {shown}% không hợp lý (phải từ 0 đến 100%)")
    if raw > 100:
        return _Percent(100, caveat=f"vượt kế hoạch: {shown}%, ghi nhận 100%")
    value = round(raw) if from_fraction else int(raw + 0.5)  # 5/8 is 62 (to even), as people write it
    caveat = f"tính từ tỷ lệ phần việc {value}%" if from_fraction else None
    return _Percent(value, caveat=caveat)


def _status(cues: _Cues, percent: int | None, blocker: BlockerFound | None, when: DateFound | None,
            *, alone_not_yet: bool, stuck: bool, today: date) -> str | None:
    """The status by the precedence in the module docstring; None when the words do not say."""
    if (cues.question and (percent is None or cues.choice_asked)) or cues.not_ours or cues.busy or cues.unsure:
        return None
    if cues.not_yet_done:
        return IN_PROGRESS
    if cues.cannot:  # "không kịp xong, mới làm được một nửa": late, still going
        if cues.late and not blocker:  # "không xong kịp hạn đâu, chắc phải sang tháng sau": late, no obstacle
            return IN_PROGRESS
        return IN_PROGRESS if cues.failed_only and (percent or cues.partly_done or cues.much_left) else BLOCKED
    planned = when is not None and when.cued and when.value >= today and (cues.future_done or cues.done_word)
    if stuck and not planned:
        return BLOCKED
    if percent is not None:
        if percent == 0:
            return IN_PROGRESS if cues.under_way else BLOCKED if blocker else NOT_STARTED
        if percent == 100:
            return IN_PROGRESS if cues.future_done or cues.partly_done else DONE
        return IN_PROGRESS
    if cues.not_started or alone_not_yet:
        later = when is not None and when.cued and when.value >= today  # "chưa làm, sau Tết mới làm xong được"
        if ((cues.done_word and not later and not cues.future_done) or (cues.under_way and not later)
                or (cues.partly_done and not later)):  # "chưa đâu, mới làm được một ít"
            return IN_PROGRESS
        return BLOCKED if blocker else NOT_STARTED
    if cues.future_start and not cues.done_word:
        return NOT_STARTED
    ahead = when is not None and when.cued and when.value >= today
    if (ahead and cues.plan_start and not blocker and not cues.deferred and not cues.busy
            and not (cues.done_word or cues.action_done)
            and not ((cues.under_way or cues.partly_done) and not cues.starts_later)):
        return NOT_STARTED  # "thứ 2 tới ra quân", "sau Tết mới làm": a start planned, nothing done yet
    if cues.partly_done:
        return IN_PROGRESS
    if cues.done_word:
        future = when is not None and when.cued and when.value > today and not cues.past_done_word
        return IN_PROGRESS if cues.under_way or cues.future_done or future else DONE
    if cues.under_way:
        return IN_PROGRESS
    if cues.action_done and not cues.reported:
        return DONE
    if blocker:
        return BLOCKED
    if when is not None and when.cued and (not cues.deferred or cues.promise_only):
        return IN_PROGRESS  # "tuần sau xong"; "thứ 6 tuần sau em gửi báo cáo": a promise with a day
    return None


def _unknown_reason(reply: Reply, cues: _Cues, when: DateFound | None, document: str | None,
                    quantities: tuple[Quantity, ...], invalid_percent: str | None) -> str:
    words = reply.words()
    ask = "đã hoàn thành, đang thực hiện (đạt bao nhiêu %) hay chưa thực hiện?"
    if not words:
        return f"tin nhắn không có chữ; xin cho biết nhiệm vụ {ask}"
    if invalid_percent:
        return f"{invalid_percent}; xin cho biết lại nhiệm vụ {ask}"
    if cues.reported:
        letter = f" số {document}" if document else ""
        return f"đơn vị cho biết đã báo cáo bằng văn bản{letter} nhưng chưa nói nhiệm vụ {ask}"
    if cues.deferred:
        return f"người gửi hẹn báo cáo sau; nhiệm vụ {ask}"
    if all(w in vocab.ACK_WORDS for w in words):
        return f"tin nhắn chỉ là lời xác nhận hoặc chào hỏi, chưa cho biết nhiệm vụ {ask}"
    if cues.unsure:
        return f"con số chưa chắc chắn; xin cho biết nhiệm vụ {ask}"
    if cues.question or "?" in reply.original:
        return f"tin nhắn là câu hỏi, chưa cho biết nhiệm vụ {ask}"
    if when is not None:
        return f"chỉ thấy ngày {when.value:%d/%m/%Y}, chưa rõ nhiệm vụ {ask}"
    if quantities:
        return f"chỉ thấy số liệu ({', '.join(q.describe_vi() for q in quantities)}), chưa rõ nhiệm vụ {ask}"
    return f"chưa hiểu được tình trạng; xin cho biết nhiệm vụ {ask}"


def _note(reply: Reply) -> str | None:
    folded, start = reply.folded, 0
    first = reply.original[:3].lower()
    if first.startswith("dạ") or re.match(r"da(?:[,.!:]|\s+(?:vang|em|thua|e)\b)", folded):
        start = 2
    lead = vocab.LEADING_POLITE.match(folded[start:].lstrip(" ,.!:"))
    start += len(folded[start:]) - len(folded[start:].lstrip(" ,.!:")) + (lead.end() if lead else 0)
    tail = vocab.TRAILING_POLITE.search(folded, start)
    end = tail.start() if tail else len(folded)
    note = reply.original[start:end].strip(" ,:;-")
    return note or None


# what is left, not what is done: "còn (khoảng) 20% nữa", "còn chừng 1/3 nữa", "còn lại 30%"
_REMAINING_BEFORE = re.compile(r"\bcon\s+(?:lai\s+)?(?:(?:khoang|chung|tam|co|gan|hon|duoi|chi)\s+)?$")
_MAI = re.compile(r"\bmai\b")


def _not_tomorrow(reply: Reply) -> list[tuple[int, int]]:
    """"mai" that is not "tomorrow": "mãi" (forever) and the name "Mai" inside a sentence ("chị Mai đã xong")."""
    spans = []
    forever = {f.span(1) for f in _MAI_FOREVER.finditer(reply.folded)}
    for m in _MAI.finditer(reply.folded):
        written = reply.original[m.start():m.end()]
        inside = m.start() > 0 and reply.folded[:m.start()].rstrip()[-1:] not in {"", ".", "!", "?", ",", ";", ":"}
        before_name = re.match(r"\s+[A-ZĐ]", reply.original[m.end():]) is not None  # "Mai Anh"
        if written.lower() == "mãi" or (written == "Mai" and (inside or before_name)) or m.span() in forever:
            spans.append(m.span())
    return spans


# "hỏi mãi thế", "làm mãi không xong" typed without diacritics: "mai" between a verb and "thế"/"vậy"/"không xong"
_MAI_FOREVER = re.compile(
    r"\b(?:hoi|nhac|giuc|noi|doi|cho|lam|sua)\s+(mai)\s+(?=(?:the|vay|(?:khong|ko|chua|cung khong)\s+xong)\b)")


def _plan_made(folded: str) -> list[tuple[int, int]]:
    return [m.span() for m in vocab.PLAN_MADE.finditer(folded)]


def _alone_not_yet(reply: Reply) -> bool:
    words = tuple(w for w in reply.words() if w not in _IGNORED_FOR_ALONE)
    return words in vocab.NOT_STARTED_ALONE


AGREEMENT = 0.3  # the model agrees with the rules when it gives their status at least this probability
# in progress with an obstacle is asked back when the model gives blocked at least this (the status table's "Đang
# thực hiện. Vướng mắc: chưa có hướng dẫn của Bộ", in progress, has 0.31 from the w1-w15 model)
BOTH_READINGS = 0.4


def read_reply(text: str, *, today: date) -> StatusReading:
    """Understand one reply, `today` being the day it was sent. Never raises; unclear text is `unknown`.

    A reply about several tasks or parts is read part by part (`parts`); the whole is blocked when a part is,
    done or not started when every part is, in progress otherwise, and unknown when a part cannot be read.

    The rules' status is committed only when the shipped model (`bot.readers.reply_model`) agrees with it, or
    when the evidence is exact (a written percent or share, a completion day to come); otherwise the reply is
    `unknown` with the rules' reading in `guess` and in the reason, so the bot asks back showing what it
    understood."""
    return read_reply_with(text, today=today, model=shipped_model())


def read_reply_with(text: str, *, today: date, model: ReplyModel | None) -> StatusReading:
    """`read_reply` with a given model (None: the rules alone); the cross-writer check trains its own."""
    written = Reply.of(text)
    reply = Reply.of(normalise(text))
    whole = _read_one(reply, written, today)
    pieces = split_parts(reply.original, reply.folded)
    if pieces:
        parts = []
        for piece in pieces:
            one = _read_part(piece.text, today)
            parts.append(PartReading(piece.ref, one.status, one.percent, one.expected_date, one.blocker,
                                     piece.task_code))
        whole = _combined(whole, tuple(parts))
    if model is None or whole.status == UNKNOWN or _exact(whole, today):
        return whole
    if _both_readings(model, reply.folded, whole):
        reason = (f"chưa chắc chắn: tin nhắn báo đang thực hiện nhưng có vướng mắc «{whole.blocker}»; xin chọn đúng "
                  "trạng thái: đang thực hiện (đạt bao nhiêu %) hay đang vướng mắc, chưa làm tiếp được?")
        return replace(whole, status=UNKNOWN, reason=reason, caveat=None, guess=whole.status)
    if _agrees(model, reply.folded, whole.status) or (
            whole.parts and all(_agrees(model, Reply.of(p.text).folded, part.status)
                                for p, part in zip(pieces, whole.parts, strict=True))):
        return whole
    understood = whole.describe_vi().rstrip(".")
    reason = (f"chưa chắc chắn: tin nhắn có thể hiểu là «{understood}»; xin chọn đúng trạng thái: đã hoàn thành, "
              "đang thực hiện (đạt bao nhiêu %) hay chưa thực hiện?")
    return replace(whole, status=UNKNOWN, reason=reason, caveat=None, guess=whole.status)


def _both_readings(model: ReplyModel, folded: str, reading: StatusReading) -> bool:
    """In progress with an obstacle named ("được 2 trên 5 thôn, 3 thôn còn lại vướng tranh chấp"), and the model
    gives blocked as well (`BOTH_READINGS`): writers label these both ways, so the bot asks rather than pick one."""
    return (reading.status == IN_PROGRESS and reading.blocker is not None and not reading.parts
            and model.opinion(folded).of(BLOCKED) >= BOTH_READINGS)


def _agrees(model: ReplyModel, folded: str, status: str) -> bool:
    opinion = model.opinion(folded)
    return opinion.status == status or opinion.of(status) >= AGREEMENT


def _exact(reading: StatusReading, today: date) -> bool:
    """Evidence the model need not confirm: a percent or a count out of a total ("đạt 70%", "3/5 xã") that decides
    the status, or a completion
    planned for a day still to come ("xong 20/6" before the 20th: the model does not read days)."""
    if reading.parts:
        return False
    if reading.exact:
        return True  # a done reply with another part plainly not done: in progress, whatever the model says
    if reading.percent is not None and reading.status != BLOCKED and reading.blocker is None:
        return True  # a percent or a share ("3/5 xã") decided it; with a blocker named too, it may not have
    return reading.status == IN_PROGRESS and reading.expected_date is not None and reading.expected_date > today


# What a part's few words say when the whole-reply cues do not: "lớp 1 ok rồi" (done), "(phần đánh) giá chưa viết"
# (not started: the ref took only the first word of the part's name).
_PART_DONE = re.compile(r"^(?:ok|oke|okie|on|xong|ht)(?:\s+(?:roi|r|het|ca|het roi))?(?:\s+(?:a|ah|nhe|nha))?\s*[.!]*$")
_PART_NOT_YET = re.compile(
    r"^(?:[a-z]+\s+){0,3}?(?:chua|chx)\s+(?!(?:xong|hoan|ht|duoc|kip|het|co)\b)[a-z]{2,}(?:\s+[a-z]+){0,3}\s*[.!]*$")


def _read_part(text: str, today: date) -> StatusReading:
    one = _read_one(Reply.of(text), Reply.of(text), today)
    if one.status != UNKNOWN:
        return one
    folded = Reply.of(text).folded
    if _PART_DONE.match(folded):
        return replace(one, status=DONE, reason=None)
    if _PART_NOT_YET.match(folded):
        return replace(one, status=NOT_STARTED, reason=None)
    return one


def _combined(whole: StatusReading, parts: tuple[PartReading, ...]) -> StatusReading:
    statuses = {p.status for p in parts}
    unread = [p.ref for p in parts if p.status == UNKNOWN]
    if unread:
        reason = (f"chưa rõ tình trạng của {', '.join(unread)}; xin cho biết từng phần đã hoàn thành, đang thực hiện "
                  "(đạt bao nhiêu %) hay chưa thực hiện?")
        return replace(whole, status=UNKNOWN, percent=None, expected_date=None, reason=reason, caveat=None,
                       parts=parts)
    status = (BLOCKED if BLOCKED in statuses else DONE if statuses == {DONE}
              else NOT_STARTED if statuses == {NOT_STARTED} else IN_PROGRESS)
    if status == BLOCKED and {DONE, IN_PROGRESS} <= statuses:
        # "ấp 1 xong, ấp 2 đang tiêm, ấp 3 chưa có vắc xin": done, under way and stuck at once; writers call the
        # whole blocked or in progress, so the bot asks, showing each part
        reason = ("các phần đang ở nhiều trạng thái (đã xong, đang làm, có phần vướng mắc); xin chọn trạng thái chung "
                  "của nhiệm vụ: đang thực hiện (đạt bao nhiêu %) hay đang vướng mắc?")
        blocker = next((p.blocker for p in parts if p.blocker), None)
        return replace(whole, status=UNKNOWN, percent=None, expected_date=None, blocker=blocker, reason=reason,
                       caveat=None, parts=parts, guess=BLOCKED)
    pending = [p.expected_date for p in parts if p.status != DONE and p.expected_date]
    done_days = [p.expected_date for p in parts if p.status == DONE and p.expected_date]
    expected = pending[0] if pending else (max(done_days) if status == DONE and done_days else None)
    blocker = next((p.blocker for p in parts if p.blocker), None)
    return replace(whole, status=status, percent=None, expected_date=expected, blocker=blocker, reason=None,
                   caveat=None, parts=parts, guess=None)


_REMAINDER_CLAUSE = re.compile(r"[^,;.!?]+")
_NEGATED_DONE = re.compile(rf"\b(?:chua|khong|ko|k|chang)\s+(?:[a-z]+\s+)?{vocab.DONE_WORD}\b")


_SIGN_OFF = re.compile(
    r"\s*(?:nhung\s+)?(?:hien\s+)?(?:chi\s+)?(?:con\s+)?(?:[a-z]+\s+){0,2}?(?:dang\s+)?cho\s+(?:[a-z]+\s+){0,3}?"
    r"(?:nghiem thu|ban giao|ky quyet dinh|cong nhan|quyet toan|ky|phe duyet|duyet)\b")


def _at_con(folded: str, start: int, end: int) -> list[tuple[int, int]]:
    """A clause cut again before "còn" (what is left), as a voice-typed run-on has no commas: "khám xong hết rồi
    ... còn cái báo cáo thì em đang làm"."""
    cuts = sorted(m.start() for rx in (_CON_BREAK, _NHUNG_BREAK) for m in rx.finditer(folded, start, end))
    bounds = [start, *cuts, end]
    return [(a, b) for a, b in pairwise(bounds) if b > a]


_CON_BREAK = re.compile(
    r"(?<=\s)con\s+(?:cai|cai\s+vu|phan|may|ve|khau|phai)?\s*"
    r"(?=bao cao|bien ban|anh|hinh|ho so|file|chung tu|minh chung|niem yet|cong khai|ky so|trinh ky|ban giay)")


# "xong rồi nhưng chưa có ảnh": the papers of work done, said in the same clause
_NHUNG_BREAK = re.compile(
    r"(?<=\s)nhung\s+(?=(?:chua co|con thieu|thieu|chua gui|chua nop)\s+(?:cai\s+)?"
    r"(?:anh|hinh|hinh anh|bao cao|bc|bien ban|ho so|file|chung tu|minh chung)\b(?!\s+(?:thuc|su)\b))")


_PAPERS_DAY = re.compile(
    r"\s*(?:chac|tam|khoang|du kien|dk|de)?\s*(?:(?:thu|t)\s*\d|thu [a-z]+|cn|chu nhat|mai|ngay mai|ngay kia"
    r"|chieu nay|sang mai|chieu mai|tuan sau|tuan toi|cuoi tuan|dau tuan)"
    r"(?:\s+(?:tuan sau|tuan toi|nay|toi|a|nhe|nha|anh|chi))*\s*$")


def _paperwork_left(folded: str) -> list[tuple[int, int]]:
    """Clauses that only say the paperwork is still to come, after a clause saying the work is done ("kiểm tra
    xong rồi, biên bản đang hoàn thiện"): the task is done; those clauses are left out of the reading."""
    clauses = [piece for m in _REMAINDER_CLAUSE.finditer(folded) for piece in _at_con(folded, m.start(), m.end())]
    spans: list[tuple[int, int]] = []
    done_before = False
    for start, end in clauses:
        clause = folded[start:end]
        done_here = ((_DONE_WORD.search(clause) or vocab.ACTION_DONE.search(clause))
                     and not vocab.PARTLY_DONE.search(clause) and not _NEGATED_DONE.search(clause)
                     and not vocab.FUTURE_DONE.search(clause))
        after_papers = bool(spans) and spans[-1][1] + 1 >= start
        sending = after_papers and re.search(r"\b(?:gui|nop|bo sung)\b", clause)
        # "..., còn ký số nữa là đủ, chắc thứ 3 tuần sau": the day of the paperwork left, not of the work
        when_papers = after_papers and _PAPERS_DAY.match(clause)
        sign_off = _SIGN_OFF.match(clause)  # "đã thi công xong, chờ nghiệm thu bàn giao": the work is done
        asked = vocab.QUESTION.search(clause)  # "em gửi rồi, anh check giùm em được không": not "ảnh" left to send
        if done_before and not done_here and not asked and (
                vocab.PAPER_LEFT.search(clause) or sending or sign_off or when_papers) \
                and not re.search(r"\b(?:vuong|kho khan|(?<!chi )thieu(?! moi))\b", clause):
            spans.append((start, end))
        done_before = done_before or bool(done_here)
    return spans


def _read_one(reply: Reply, written: Reply, today: date) -> StatusReading:
    left = _paperwork_left(reply.folded)
    folded = masked(reply.folded, left) if left else reply.folded
    document = find_document(reply)
    spans = percent_spans(folded) + ([(document.start, document.end)] if document else [])
    percent_found = find_percent(folded)
    fraction = None if percent_found else find_fraction(masked(folded, spans))
    if fraction:
        spans.append((fraction.start, fraction.end))
    share = percent_found or fraction
    left_before = share is not None and _REMAINING_BEFORE.search(folded[max(0, share.start - 20):share.start])
    if share is not None and share.value <= 100 and left_before:
        share = Found(100 - share.value, share.start, share.end)  # "còn khoảng 20% nữa là xong": 80% done
    percent = _read_percent(share, from_fraction=fraction is not None)
    without_numbers = masked(folded, spans)
    obstacles = find_obstacles(reply, masked(without_numbers, [m.span() for m in vocab.NO_BLOCKER.finditer(folded)]))
    planned_waits: list[tuple[int, int]] = []
    if vocab.NOT_STARTED.search(without_numbers) or _alone_not_yet(reply):
        planned_waits = [(o.start, o.end) for o in obstacles if o.time]
        obstacles = [o for o in obstacles if not o.time]  # "chưa làm, chờ qua Tết": a plan, not an obstacle
    stuck = any(not o.approval for o in obstacles)
    blocker = find_blocker(reply, without_numbers, tuple(o.start for o in obstacles if not o.approval and not o.weak))
    pauses = tuple(o.start for o in obstacles if o.weak)
    if blocker is None and pauses:  # "tạm dừng" with no cause written: the pause itself is what to show
        blocker = find_blocker(reply, without_numbers, pauses)
    nothing_yet = bool(vocab.NOT_STARTED.search(without_numbers)) or _alone_not_yet(reply)
    own = blocker is not None and vocab.OWN_CAUSE.search(folded[blocker.start:blocker.end])
    own_cause: list[tuple[int, int]] = []  # its words say why nothing was started, not what is under way
    if own and not stuck and (nothing_yet or folded[blocker.start:blocker.end].startswith("chua co")):
        if not folded[blocker.start:blocker.end].startswith("chua co"):  # "chưa có time": the not-yet itself
            own_cause = [(blocker.start, blocker.end)]
        blocker = None  # "chưa làm gì vì tháng này bận quá, để tháng sau làm": a plan, not a block
    rhetorical = vocab.RHETORICAL_CANNOT.search(without_numbers)
    rhetorical = rhetorical if rhetorical and _clause_start_before(without_numbers, rhetorical.start()) else None
    no_blockers = [m.span() for m in vocab.NO_BLOCKER.finditer(folded)]
    blocked_out = [(blocker.start, blocker.end)] if blocker else own_cause
    other_done = [m.span() for m in vocab.AFTER_OTHER_DONE.finditer(without_numbers)]
    if nothing_yet and vocab.NOT_STARTED.search(masked(without_numbers, _plan_made(without_numbers))):
        other_done += _plan_made(without_numbers)  # "chưa làm gì, mới lập xong kế hoạch thôi": not started
    cues = _Cues.of(masked(without_numbers, blocked_out + no_blockers + planned_waits + other_done))
    text = masked(without_numbers, no_blockers)  # questions, busy, not ours: the whole text (a blocker may hold them)
    asks = vocab.QUESTION.search(text) or vocab.REPORTED_BEFORE.search(text)
    unsure = vocab.UNSURE_FIGURE.search(folded) or vocab.UNSURE_STATE.search(folded)
    cues = replace(cues, question=cues.question or bool(asks), unsure=bool(unsure),
                   busy=cues.busy or bool(vocab.BUSY.search(text)),
                   not_ours=cues.not_ours or bool(vocab.NOT_OURS.search(text)))
    if vocab.NOTHING_LEFT.search(folded) and not cues.question:
        cues = replace(cues, done_word=True)  # "không còn gì phải làm nữa": done
    if rhetorical:  # "máy hư rồi, răng cập nhật được": not a question, the unit cannot
        cues = replace(cues, question=False, cannot=True, failed_only=False)
    when = completion_date(masked(without_numbers, _not_tomorrow(reply)), today=today)
    counted = without_numbers
    if fraction and re.search(r"\bcon\b", folded[fraction.start:fraction.end]):  # "xong 2 lớp, còn 1 lớp": counts
        counted = masked(folded, [s for s in spans if s != (fraction.start, fraction.end)])
    quantities = tuple(Quantity(q.value, q.unit) for q in find_quantities(reply, counted))
    doc_ref = reply.original[document.start:document.end] if document else None

    status = _status(cues, percent.value, blocker, when, alone_not_yet=_alone_not_yet(reply), stuck=stuck,
                     today=today)
    if status == BLOCKED and _WAIT_ALONE.match(folded):
        status = None  # "em đang chờ ạ": waiting, on what? ask
    if status == IN_PROGRESS and _DAY_ALONE.match(folded):
        status = None  # "mai", "tuần sau ạ": a day with no word of the work
    if status == BLOCKED and _NOT_YET_EMPHATIC.match(folded) and _WEATHER.search(folded) and not stuck_on_people(
            folded):
        status = NOT_STARTED  # "chưa có đâu anh, mưa quá chưa nạo vét được": nothing done, waiting out the rain
    rest = _rest_not_done(masked(folded, no_blockers), reply.folded, percent.value) if status == DONE else None
    exact = rest == IN_PROGRESS and blocker is None  # with a blocker named, the rest may be blocked: the model decides
    if status == IN_PROGRESS and blocker is None and cues.done_word and cues.not_started and percent.value is None:
        # "hoàn thành rồi nhưng còn 4 thôn chưa tổ chức": done, with a part plainly not started: in progress
        exact = _rest_not_done(masked(folded, no_blockers), reply.folded, None) == IN_PROGRESS
    if status not in (DONE, None) and percent.value == 100 and any(p.value < 100 for p in all_percents(folded)):
        percent = _Percent(None)  # "CCCD xong 100%, VNeID mới đạt 70% thôi": no one figure for the whole
    if (status == IN_PROGRESS and percent.value is None and not cues.not_started and not cues.cannot
            and vocab.AS_GOOD_AS_DONE.search(without_numbers)):
        status = DONE  # "dự thảo hoàn thành, đang lấy ý kiến các phòng nhưng coi như xong"
    if rest == IN_PROGRESS:
        status, percent = IN_PROGRESS, _Percent(None)
    elif rest == UNKNOWN:
        return StatusReading(
            UNKNOWN, None, None, blocker.text if blocker else None, _note(written), quantities, doc_ref,
            "chưa chắc chắn: tin nhắn báo đã xong nhưng còn phần việc chưa xong; xin chọn đúng trạng thái: đã hoàn "
            "thành, đang thực hiện (đạt bao nhiêu %) hay chưa thực hiện?", None, guess=DONE,
        )
    # "sau Tết mới xong được, giờ chờ kinh phí": done only then, stuck on someone now (not "trễ hạn do chờ kinh phí,
    # dự kiến 15/7 xong": in progress, the status table says); "3/4 lớp xong, lớp cuối
    # không có giảng viên": a share, the rest held up
    split = status == IN_PROGRESS and (
        (any(not o.time for o in obstacles) and when is not None and when.cued and when.value >= today
         and _ONLY_THEN_DONE.search(folded) is not None)
        or (fraction is not None and share is not None and percent.value is not None and 0 < percent.value < 100
            and (_REST_STUCK.search(masked(folded, no_blockers), share.end) is not None
                 or _REST_KET.search(folded, share.end) is not None)))
    if split:
        # writers label these both ways (in progress, or blocked by what holds the rest up): ask, showing both
        shown = f" (đạt {percent.value}%)" if percent.value is not None else ""
        held = (f" nhưng có vướng mắc «{blocker.text}»" if blocker and blocker.text
                else " nhưng phần còn lại đang bị vướng")
        return StatusReading(
            UNKNOWN, percent.value, when.value if when and when.value >= today else None,
            blocker.text if blocker else None, _note(written), quantities, doc_ref,
            f"chưa chắc chắn: tin nhắn báo đang thực hiện{shown}{held}; xin chọn đúng trạng thái: đang thực hiện "
            "(đạt bao nhiêu %) hay đang vướng mắc, chưa làm tiếp được?", None, guess=IN_PROGRESS,
        )
    if status is None:
        reason = _unknown_reason(reply, cues, when, doc_ref, quantities, percent.invalid)
        asked = cues.deferred or cues.question or cues.busy or cues.not_ours or cues.reported
        promised = when.value if when and not asked else None  # "mai em gửi" dates the answer, not the work
        return StatusReading(
            UNKNOWN, None, promised, blocker.text if blocker else None, _note(written),
            quantities, doc_ref, reason, None,
        )
    if status == DONE:
        expected = written_date(without_numbers, today=today)
        expected = expected or done_day(without_numbers, today=today)  # "xong hôm qua", "xong từ thứ 2 rồi"
        if expected is None and left:  # "xong rồi, báo cáo em nộp hôm thứ 6": the day is in the paperwork clause
            expected = done_day(masked(reply.folded, spans), today=today)
            # ("xong rồi, chiều nay em nộp biên bản": today's or a later day is when the papers go, not the work)
            expected = expected if expected and expected < today else None
        expected = expected if expected and expected <= today else None
    else:
        expected = when.value if when else None
        if expected is not None and (expected < today or (expected == today and not when.cued)):
            expected = None  # "bữa nay làm được 40%": the day of the report, not of completion
    caveat = percent.caveat or (percent.invalid and f"bỏ qua {percent.invalid}")
    blocker_text = blocker.text if blocker else None
    if status == BLOCKED and blocker_text is None and rhetorical:  # "máy hư rồi, răng ...": what comes before
        cause = re.sub(r"(?:\s+th[iì])?[\s,.;]*$", "", reply.original[:rhetorical.start()])
        blocker_text = cause.strip(" ,.;") or None
    if status == BLOCKED and blocker_text is None:
        blocker_text = _cause_after(reply, without_numbers)
    return StatusReading(
        status, percent.value, expected, blocker_text, _note(written), quantities, doc_ref, None, caveat,
        exact=exact,
    )


_ONLY_THEN_DONE = re.compile(rf"\bmoi\s+(?:[a-z]+\s+)?{vocab.DONE_WORD}\b")
# After a count done out of a total, what holds the rest up: "lớp cuối ko có giảng viên", "thì hết tiền", "2 tuyến kia
# chưa có vốn" (not people away, "chưa về", nor "thiếu người": the writers call those in progress, 11 replies of 13;
# a named "vướng ..." is left to the model, `BOTH_READINGS`, and a percent with a lack stays in progress, as the
# status table says: "đạt 30% do thiếu vốn")
_REST_STUCK = re.compile(
    r"\b(?:het (?:tien|kinh phi|von|ngan sach)"
    r"|(?:khong co|ko co|k co|hong co|chua co|thieu|chua duoc cap|chua cap)\s+(?:[a-z]+\s+)?"
    r"(?:von|kinh phi|tien|dat|mat bang|giang vien|giao vien|huong dan|ngan sach|thiet bi|vat tu|vac xin|thuoc))\b")
# "2 hạng mục còn lại kẹt thủ tục đất": the rest said stuck ("kẹt") in so many words (read before the blocker is masked)
_REST_KET = re.compile(r"\b(?:con lai|kia)\s+(?:thi\s+|van\s+|dang\s+|bi\s+)*ket\b")


# A done reading while another part of the reply is not done: "CCCD xong 100%, VNeID mới được 65%", "kênh A xong,
# kênh B chưa", "xong rồi, còn 2 xã". The paperwork left ("còn ảnh gửi sau") and "no obstacle" clauses are already
# blanked out, so what is left is work.
_CLAUSE = re.compile(r"[^,;.!?\n]+")
_BEFORE_CON = re.compile(
    r"(?:(?<=xong)|(?<=roi)|(?<=\br)|(?<=het)|(?<=\bht)|(?<=thanh)|(?<=tat))\s+(?=(?:chi\s+)?con\s)"
    r"|\s+(?=nhung\s+(?:chi\s+)?con\s)")
_LEAD = r"^\s*(?:nhung\s+|ma\s+|gio\s+)?(?:chi\s+|van\s+)?"
_PARTICLES = r"(?:\s+(?:a|ah|nhe|nha|nghen|nhen|ne|anh|chi|em|dau|het|gi|ca|nua|thoi|do|ha|roi))*\s*$"
# "kênh B chưa", "còn họp dân thì chưa", "hè thu chưa làm", "môi trường chưa đạt" (not "còn biên bản chưa ký")
_OTHER_NOT_YET = re.compile(
    rf"{_LEAD}(?:con\s+(?:lai\s+)?)?(?:[a-z0-9]+\s+){{1,5}}?(?:thi\s+|la\s+)?(?:van\s+)?(?:chua|chx)"
    r"(?:\s+(?:co|lam|xong|dat|duoc|trien khai|thuc hien|to chuc|bat dau|ra soat|di|hop|tiem|lam gi|co gi|mo|xay))?"
    rf"{_PARTICLES}"
)
# "còn 2 xã", "còn mấy hộ chưa nhận", "còn thôn Nặm Dẩn": so many or a place still to do (not "còn thiếu ...")
_COUNT_LEFT = re.compile(
    rf"{_LEAD}con(?:\s+lai)?\s+(?:khoang\s+|chung\s+|tam\s+|co\s+)?(?:\d+|may|vai|mot so|hai|ba|bon|nam|sau)"
    r"\s+(?!%)[a-z]"
    rf"|{_LEAD}con\s+(?:ap|thon|xa|to|lop|ban(?!\s+(?:mem|cung|scan|sao|goc|in|chinh|giay))|phuong|khu|tuyen|kenh|truong|diem|xom|buon|lang)\s+[a-z0-9]"
)
# "còn sơn lại cái cổng thôi", "còn phải nhập lên phần mềm": work left, maybe small: ask rather than guess
_WORK_LEFT = re.compile(
    rf"{_LEAD}con\s+(?:phai\s+|moi\s+|dung\s+|cho\s+)?(?:son|sua|lam|xay|lap dat|lap|do be tong|trong|thi cong|lat"
    r"|nhap|cai dat|don|hoan thien|tiem|ra soat|kiem tra|di|hop|tap huan|dao|cat)\b"
)
_PAPERS = re.compile(
    r"\b(?:(?:cai|tam|buc|hinh)\s+anh|ban (?:mem|cung|scan)|gui|nop|bien ban|bao cao|ho so|chung tu"
    r"|quyet toan|minh chung|file|video|danh sach)\b"
)
_MISSING = re.compile(rf"{_LEAD}(?:con\s+)?thieu\s+(?:\d+|may|vai|mot so|hai|ba)\s+[a-z]")
_SIGNATURES = re.compile(r"\b(?:chua ky|ky nhan)\b")  # "còn vài hộ chưa ký nhận": the work or its papers? ask
_CHANGE_BEFORE = re.compile(r"\b(?:giam|tang|chiem|lai suat)\s*(?:[a-z]+\s+){0,2}$")


_ALONE_LEAD = r"^\s*(?:(?:da|vang|em|e|ben em|dang|van|van dang|con)\s+)*"
_ALONE_TAIL = r"(?:\s+(?:a|ah|nhe|nha|anh|chi|em|thoi|ca|nua))*\s*[.!]*\s*$"
_WAIT_ALONE = re.compile(rf"{_ALONE_LEAD}(?:cho|doi)(?:\s+(?:tiep|them|do|day))?{_ALONE_TAIL}")
_DAY_ALONE = re.compile(
    rf"{_ALONE_LEAD}(?:mai|ngay mai|mai mot|tuan sau|tuan toi|thang sau|chieu nay|sang mai|chieu mai|cuoi tuan"
    rf"|dau tuan sau|tuan nay){_ALONE_TAIL}")
# "chưa có đâu", "chưa đâu anh", "hổng có đâu": an emphatic "not yet", nothing done
_NOT_YET_EMPHATIC = re.compile(
    r"^\s*(?:(?:da|vang|em|e|ben em|tui|minh)\s+){0,2}(?:van\s+)?(?:chua|khong)(?:\s+co)?(?:\s+gi)?\s+dau\b")
_WEATHER = re.compile(r"\b(?:mua|lu|bao|ret|nang nong|ngap|trieu cuong|mua mua|mua lu|nuoc len)\b")


def stuck_on_people(folded: str) -> bool:
    """A wait on someone the coordinator can push ("chờ Sở", "chưa có kinh phí"), not on the weather."""
    return bool(re.search(r"\b(?:cho|doi)\s+(?!(?:het|tanh|ngot|nuoc|troi)\b)|\bkinh phi\b|\bvon\b|\bhuong dan\b",
                          folded))


def _rest_not_done(folded: str, whole: str, percent: int | None) -> str | None:
    """For a done reading of `folded` (paperwork left blanked out; `whole` is the reply with it): IN_PROGRESS when
    another part is clearly not done, UNKNOWN (ask) when work is left whose size the reply does not say, None when
    the reading stands."""
    if any(p.value < 100 and not _CHANGE_BEFORE.search(whole[max(0, p.start - 24):p.start])
           for p in all_percents(whole)):
        return IN_PROGRESS  # "CCCD xong 100%, VNeID mới được 65%"
    clauses = [c for piece in _BEFORE_CON.split(folded) for c in _CLAUSE.findall(piece) if c.strip()]
    if len(clauses) < 2:
        return None
    done_seen, ask = False, False
    for clause in clauses:
        if _DONE_WORD.search(clause) or vocab.ACTION_DONE.search(clause):
            done_seen = True
            continue
        if _PAPERS.search(clause):  # "còn mấy cái ảnh thôi", "còn bản mềm em gửi qua zalo"
            others = _COUNT_LEFT.match(clause)  # "còn 2 xã chưa nộp số liệu": their work or its papers? ask
            ask = ask or bool(others and not _PAPERS.match(clause, others.end() - 1))
            continue
        if _MISSING.match(clause):  # "thiếu 2 xã": the work or its papers? ask
            ask = True
            continue
        if _OTHER_NOT_YET.match(clause) or _COUNT_LEFT.match(clause) or vocab.DOING.search(clause):
            # "chi trả xong 100% hộ, còn 2 hộ chưa bàn giao mặt bằng": ask
            if percent == 100 or _SIGNATURES.search(clause):
                ask = True
                continue
            return IN_PROGRESS
        if done_seen and _WORK_LEFT.match(clause):
            ask = True
    return UNKNOWN if ask else None


def _clause_start_before(folded: str, at: int) -> bool:
    """Some words of the reply come before `at` ("máy hư rồi, răng ..."): the cause of a rhetorical question."""
    return len(re.findall(r"[a-z]+", folded[:at])) >= 2


_CANNOT_CLAUSE = re.compile(rf"{vocab.CANNOT.pattern}|{vocab.FAILED_DONE.pattern}")


def _cause_after(reply: Reply, folded: str) -> str | None:
    """"hổng làm được, nhà thầu bỏ ngang rồi": the clause after "cannot" says why."""
    m = _CANNOT_CLAUSE.search(folded)
    comma = folded.find(",", m.end()) if m else -1
    if comma < 0:
        return None
    end = next((i for i in range(comma + 1, len(folded)) if folded[i] in ".;!?"), len(folded))
    text = reply.original[comma + 1:end].strip(" ,.;:-")
    text = re.sub(r"(?:[\s,.!]+(?:anh|chi|em|oi|a|ah|nhe|nha|nhen|nghen|ne|do|ha|roi|rồi|ạ|à|nghe))+[\s.!]*$", "",
                  text, flags=re.IGNORECASE)
    return text or None
