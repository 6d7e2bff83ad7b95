"""Duties written in prose: a plan without a task table (a Chỉ thị, a Kế hoạch whose duties sit under
"TỔ CHỨC THỰC HIỆN") read paragraph by paragraph.

- paragraphs are rebuilt from hard-wrapped lines (a blank line or a "-", "a)", "1." marker starts a new one);
- a numbered heading naming a unit ("2. Sở Tài chính", "**5. Ủy ban nhân dân xã, phường**") makes that
  unit the lead of every "-" bullet, "a)" item or paragraph under it, until the next heading;
- elsewhere a sentence gives a task when it names a unit with its role ("Sở Tư pháp chủ trì, phối hợp
  với Sở Nội vụ ...", "(Giao Công an tỉnh chủ trì)", "giao Sở Y tế ...");
- "phối hợp với X, Y" makes X and Y support; a duty under a unit's heading that starts "Phối hợp" makes
  that unit support; "Đề nghị ..." marks a request;
- a sentence with several clauses, each with its own date, gives one task per clause;
- bullets under "TIẾN ĐỘ THỰC HIỆN" are milestones: tasks of the coordinating unit (filled in later).
Unit names stay text: the importer resolves them like a table's cells.
"""

from __future__ import annotations

import functools
import itertools
import re
from dataclasses import dataclass, field

from bot.base.text import fold
from bot.directory.unitnames import is_group_like, is_vague
from bot.directory.unitnames import split_units as split_cell
from bot.importer.document import TextLine
from bot.importer.items import ParsedItem

_ORG = (
    r"(?:Các\s+|Đề nghị\s+(?:các\s+)?)?(?:Sở|Ban(?! hành)|Bộ|Cục|Tổng cục|Chi cục|Vụ|Văn phòng|Phòng|UBND|HĐND|"
    r"Ủy ban|Uỷ ban|Công an|Trung tâm|Trường(?! hợp)|Ngân hàng|Kho bạc|Bảo hiểm|BHXH|Thuế|Đài|Báo(?! cáo)|Hội|"
    r"Liên đoàn|Liên minh|Hiệp hội|Đoàn|Tỉnh đoàn|Tòa án|Toà án|Kiểm toán|Thông tấn xã|Bệnh viện|bệnh viện|"
    r"Trạm Y tế|trạm y tế|"
    r"Mặt trận|Bưu điện|Tiểu ban|Thủ trưởng|Giám đốc|Chủ tịch|sở|bộ|cơ quan|phòng|đơn vị|chủ rừng|doanh nghiệp|"
    r"Doanh nghiệp|đoàn thể|[Cc]hủ đầu tư|[Nn]hà đầu tư|"
    r"tổ chức|Các tổ chức|Lực lượng|Bộ Chỉ huy|Hội đồng|Viện|Đại học|Cơ quan|Thanh tra|Lãnh đạo|Đồng chí|Ngành|"
    r"Phó [Cc]hủ tịch|Phó Trưởng|[Tt]hành viên|Trưởng ban|Trưởng phòng|Cán bộ|Chuyên viên|Bộ trưởng|Thủ tướng)\b"
)
_ORG_START = re.compile(rf"^{_ORG}")
_ROMAN_HEADING = re.compile(r"^(?P<code>[IVXL]{1,5})\s*[.\-–]\s+(?P<title>.+)$")
_NUMBER_HEADING = re.compile(r"^(?P<code>\d{1,2}(?:\.\d{1,2})*)\s*[.)]\s*(?P<title>.*)$")
_LETTER_ITEM = re.compile(r"^(?P<code>[a-zđ])\s*\)\s*(?P<body>.*)$")
_BULLET = re.compile(r"^[-–+•]\s*(?P<body>.*)$")
_MARKER_START = re.compile(
    r"^(?:[-–+•](?:\s|$)|nơi nhận|Nơi nhận|\||"
    r"[a-zđ]\s*\)|\d{1,2}(?:\.\d{1,2})*\s*[.)]\s|[IVXL]{1,5}\s*[.\-–]\s)")
_WHERE_LINE = re.compile(r"(\d+)")
_ORGANISATION = ("to chuc thuc hien", "phan cong nhiem vu", "phan cong trach nhiem", "trach nhiem thuc hien")
_PROGRESS = ("tien do thuc hien", "tien do")
_AIMS = ("muc dich", "muc tieu", "yeu cau", "doi tuong", "pham vi")
# Where a unit's name ends inside a sentence: a role word or a verb that starts the duty.
_NAME_END = re.compile(
    r"\s+(?:chủ trì|phối hợp|theo chức năng|trên cơ sở|căn cứ|có trách nhiệm|chịu trách nhiệm|tham mưu|"
    r"xây dựng|tổ chức|thực hiện|triển khai|rà soát|hướng dẫn|chỉ đạo|kiểm tra|theo dõi|tổng hợp|báo cáo|"
    r"đăng tải|tuyên truyền|nghiên cứu|bố trí|cân đối|ban hành|thành lập|đánh giá|phát động|tiếp tục|"
    r"đẩy mạnh|tăng cường|quán triệt|bảo đảm|đảm bảo|khẩn trương|cung cấp|lựa chọn|giám sát|quyết định|gửi|"
    r"kiện toàn|nâng cao|chủ động|tập trung|là)\b|"
    r"[:;.]|\s+\(",
)
_LEAD_IN_SENTENCE = re.compile(
    rf"(?:(?:^|[,;(]\s*|\b[Gg]iao\s+)(?P<name>{_ORG}[^,;()]{{0,80}}?)(?<!được giao)(?<!được phân công)\s+chủ trì)")
_GIAO = re.compile(rf"\b[Gg]iao\s+(?P<name>{_ORG}[^;()]{{0,80}})")
_SUPPORT = re.compile(r"phối hợp(?: chặt chẽ)?\s+(?:với\s+)?(?=[A-ZĐƯỦcs])(?P<names>[^;.()]{3,200})", re.IGNORECASE)
_SUPPORT_END = re.compile(
    r"\s+(?:để|trong|tham mưu|xây dựng|tổ chức|thực hiện|triển khai|rà soát|hướng dẫn|kiểm tra|theo dõi|"
    r"tổng hợp|báo cáo|tuyên truyền|giải quyết|quản lý|xử lý|nghiên cứu|bố trí|đánh giá|tuần tra|hỗ trợ|"
    r"thẩm định|tiến hành|thống nhất|chia sẻ|cung cấp|lập|ban hành|đôn đốc|vận động|phổ biến|mở|huy động|cử|"
    r"ký kết|cập nhật|vận hành|kịp thời|đưa|công bố|góp ý|đề xuất|tiếp nhận)\b",
)
_DEADLINE = re.compile(
    r"(?:(?:trước|chậm nhất(?: là)?(?: trước)?|hạn cuối|hoàn thành trong|xong trong|hoàn thành trước|trong|đến)"
    r"\s+(?:ngày\s+)?\d{1,2}\s*(?:/|tháng)\s*\d{1,2}(?:\s*(?:/|năm)\s*\d{4})?(?:\s*\)?\s*h[àằ]ng năm)?"
    r"|(?:trước|trong|xong trong|hoàn thành trong)\s+tháng\s+\d{1,2}\s*(?:/\s*\d{4}|năm\s+\d{4})?"
    r"|từ ngày\s+\d{1,2}(?:\s*(?:/|tháng)\s*\d{1,2}(?:\s*(?:/|năm)\s*\d{4})?)?\s+đến(?: hết)? ngày\s+\d{1,2}"
    r"\s*(?:/|tháng)\s*\d{1,2}(?:\s*(?:/|năm)\s*\d{4})?"
    r"|(?:trước|trong)\s+quý\s+[IV]+\s*(?:/|năm)\s*\d{4}"
    r"|^năm\s+\d{4}\b"
    r"|\bh[àằ]ng (?:năm|quý|tháng)\b|\bthường xuyên\b|\bđịnh kỳ\b)",
    re.IGNORECASE,
)


# Where the units at the start of a sentence end: the verb of their duty.
_SUBJECT_END = re.compile(
    r"(?<!,)\s+(?:chủ trì|phối hợp|giám sát|có trách nhiệm|chịu trách nhiệm|tham mưu|xây dựng|tổ chức|thực hiện|"
    r"triển khai|rà soát|hướng dẫn|chỉ đạo|kiểm tra|theo dõi|tổng hợp|báo cáo|tuyên truyền|huy động|bố trí|ban hành|"
    r"chủ động|khẩn trương|đẩy mạnh|tăng cường|bảo đảm|đảm bảo|cung cấp|cử|ký kết|thành lập|mở|vận động|hỗ trợ|"
    r"đôn đốc|tham gia|xem xét|quyết định|họp|phê duyệt|trình|phải|cần|gửi|lãnh đạo|chỉ đạo|tiếp tục|nâng cao|"
    r"kiện toàn|tập trung|đăng tải|phản ánh)\b")
# A circumstance before the subject: "Căn cứ kết quả kiểm tra, UBND cấp xã quyết định ...", "Sau khi ..., X ..."
_LEADING_CLAUSE = re.compile(
    r"^(?:Trong quá trình[^.;]{0,80}?(?:vướng mắc|phát sinh)[^,;.]{0,40},\s*|"
    r"(?:Căn cứ|Trên cơ sở|Sau khi|Dựa trên|Theo|Đối với|Trường hợp|Khi|Nếu)\b[^,;:]{3,200},\s*)", re.IGNORECASE)
_ORG_ANY_CASE = re.compile(rf"^{_ORG}", re.IGNORECASE)
_TIMETABLE = ("thoi gian", "tien do", "lo trinh")
_RECURRING = ("dinh ky", "hang quy", "hang thang", "hang nam", "hang tuan", "hang ngay")
# "UBND tỉnh yêu cầu các sở, ban, ngành, UBND các xã nghiêm túc triển khai ...": the units named are its leads
_REQUIRE = re.compile(
    r"\b(?:yêu cầu|đề nghị)\s+(?P<names>\S.{2,200}?)(?<!,)\s+(?=(?:nghiêm túc|tập trung|khẩn trương|chủ động|"
    r"triển khai|thực hiện|tổ chức|quán triệt|căn cứ|có trách nhiệm|chịu trách nhiệm|thường xuyên|kịp thời|"
    r"rà soát|báo cáo|phản ánh|gửi)\b)",
    re.IGNORECASE,
)


# Field lines of a task block: "- Cơ quan chủ trì: ...", "*Đơn vị phối hợp: *...", "- Thời gian thực hiện: ..."
_FIELD = re.compile(
    r"^[-–+•]?\s*[*_]*\s*(?P<label>(?:(?:các|những)\s+)?(?:cơ quan|đơn vị|bộ phận)[^:]{0,20}?\s(?:chủ trì|thực hiện|"
    r"phối hợp|chịu trách nhiệm)(?:[^:]{0,40})|chủ trì(?: thực hiện)?|phối hợp(?: thực hiện)?|trách nhiệm thực hiện|"
    r"thời gian(?: thực hiện| hoàn thành)?|thời điểm[^:]{0,20}|"
    r"thời hạn(?:[^:]{0,25})|tiến độ(?: thực hiện)?|kết quả(?:[^:]{0,30})|sản phẩm(?:[^:]{0,30})|"
    r"nội dung)(?<!sau)\s*[*_]*\s*:\s*[*_]*\s*(?P<value>.*)$",  # "... thực hiện các hoạt động sau:": a lead-in
    re.IGNORECASE,
)
# A bullet that states how, not what: a requirement or a labelled note ("- Bảo đảm thống nhất ...").
_REQUIREMENT = re.compile(r"^(?:Bảo đảm|Đảm bảo|Việc\s|Yêu cầu|Nguyên tắc|Lưu ý)\b|\sphải\s", re.IGNORECASE)
_PLUS = re.compile(r"^(?:\+|\(\d{1,2}\))\s*(?P<body>.*)$")


def _field(text: str) -> tuple[str, str] | None:
    """("lead" | "support" | "time" | "other", value) for a field line of a task block."""
    found = _FIELD.match(text)
    if found is None:
        return None
    label = fold(found.group("label"))
    value = found.group("value").strip(" *_")
    if "phoi hop" in label:
        return "support", value
    label = re.sub(r"^(?:cac|nhung) ", "", label)  # "Các cơ quan thực hiện: ..."
    acting = "thuc hien" in label and label.startswith(("co quan", "don vi", "bo phan", "trach nhiem"))
    if "chu tri" in label or acting or "chiu trach nhiem" in label:
        return "lead", value
    if label.startswith(("thoi gian", "thoi han", "tien do", "thoi diem")):
        return "time", value
    return "other", value


def split_units(text: str) -> list[str]:
    """The table cells' splitter, then a group written as "Các X, y, z" kept whole: the lower-case kinds after a
    plural group ("Các Sở, ngành, đơn vị", "các bộ, cơ quan ngang bộ, cơ quan thuộc Chính phủ") belong to it."""
    names: list[str] = []
    heads = _HEADS_AND_BODIES.match(text.strip())
    if heads:
        return [*split_units(heads.group(1)), *split_units(heads.group(2))]
    for piece in (sub for cell in split_cell(text) for sub in _GLUED_IN_PROSE.split(cell)):
        plural = bool(names) and (fold(names[-1]).startswith(("cac ", "thu truong", "bo truong", "giam doc")) or
                                  " cac " in fold(names[-1]))  # "Thủ trưởng cơ quan ngang bộ, cơ quan thuộc CP"
        if plural and piece[:1].islower() and not piece.startswith("các "):
            names[-1] = f"{names[-1]}, {piece}"
        else:
            names.append(piece)
    return names


# Bodies listed in a sentence whose kind the cells' splitter does not know: "Đài Truyền hình Việt Nam, Thông tấn xã
# Việt Nam", "Tòa án nhân dân tỉnh, Thuế tỉnh, Kiểm toán nhà nước khu vực II", "Giám đốc các Sở, Thủ trưởng các ngành";
# "Bộ trưởng, Thủ trưởng cơ quan ngang bộ" is one title
_GLUED_IN_PROSE = re.compile(
    r"(?<!Bộ trưởng),\s+(?=(?:Tòa án|Toà án|Thuế|Kiểm toán|Thủ trưởng|Thông tấn xã|Đài|Giám đốc|Viện|Kho bạc|Ngân hàng|"
    r"Chi cục|Văn phòng|Bộ|Sở|Cục|Ủy ban|Uỷ ban|UBND|Công an|Hội|Hiệp hội|Liên đoàn|Liên minh|Tỉnh đoàn|Chi nhánh|"
    r"Trung tâm|Bảo hiểm|"
    r"Chủ tịch (?:Ủy ban nhân dân|Uỷ ban nhân dân|UBND) các)\b)")
# "Thủ trưởng các sở, ban, ngành và Ủy ban nhân dân phường, xã": the heads of some bodies, then other bodies
_HEADS_AND_BODIES = re.compile(r"^((?:Thủ trưởng|Giám đốc|Người đứng đầu)\s.+?)\s+và\s+((?:Ủy ban|Uỷ ban|UBND)\s.+)$")


@dataclass
class Paragraph:
    text: str
    line: int
    where: str
    starts: list[tuple[int, int]] = field(default_factory=list)  # (offset in text, line) of each joined line
    bold_end: bool = False  # its last line closed a bold span

    def line_at(self, offset: int) -> int:
        return max((line for at, line in self.starts if at <= offset), default=self.line)


# A sentence that starts a duty of its own inside a paragraph: a request, a recurring report.
_OWN_SENTENCE = r"(?:Đề nghị|Kính đề nghị|Hằng năm|Hàng năm|Hằng quý|Hàng quý|Hằng tháng|Định kỳ)\b"
_SENTENCE_SPLIT = re.compile(rf"(?<=\.)\s+(?={_OWN_SENTENCE})")


def paragraphs(lines: list[TextLine]) -> list[Paragraph]:
    """Join hard-wrapped lines back into paragraphs (lines are numbered "dòng N"; a gap is a blank line)."""
    out: list[Paragraph] = []
    previous: int | None = None
    ended_bold = False  # the line before closed a bold span: a numbered heading in bold ends there
    numbers = [_line_number(line, index) for index, line in enumerate(lines)]
    gaps = [b - a for a, b in itertools.pairwise(numbers)]
    double_spaced = len(gaps) >= 10 and sum(g == 2 for g in gaps) >= 0.6 * len(gaps)
    widths = sorted(len(line.text) for line in lines)
    margin = widths[int(len(widths) * 0.9)] * 0.8 if widths and widths[int(len(widths) * 0.9)] <= 120 else None
    for index, line in enumerate(lines):
        number = numbers[index]
        text = line.text.strip()
        wrapped = line.where.startswith("dòng") and previous is not None and (number == previous + 1 or (
            double_spaced and number == previous + 2 and bool(out) and _wraps(out[-1].text, text, margin)))
        own = re.match(r"(?:Kính\s+)?Đề nghị\b", text) and out and out[-1].text.rstrip(" *_)").endswith(".")
        own = own or _FIELD.match(text.strip("|* ")) is not None  # "Cơ quan chủ trì: ..." on its own line
        if out and wrapped and not own and not _MARKER_START.match(text) and not out[-1].text.endswith(("./.", "|")) \
                and not (ended_bold and _NUMBER_HEADING.match(out[-1].text)):
            out[-1].starts.append((len(out[-1].text) + 1, number))
            out[-1].text = f"{out[-1].text} {text}"
        else:
            out.append(Paragraph(text, number, line.where, [(0, number)]))
        previous, ended_bold = number, line.bold_end
        out[-1].bold_end = line.bold_end
    return [piece for para in out for piece in _sentences(para)]


# Sentences inside a paragraph that stand on their own: "... ./. Trong quá trình thực hiện, ... X báo cáo về ...",
# "... điều hành. Bộ Y tế yêu cầu các đơn vị ...", "... Đề nghị X ..."
_PARAGRAPH_SPLIT = re.compile(
    r"(?<=[.;])\s+(?=(?:Trong quá trình|Kính đề nghị|Đề nghị)\b|[A-ZĐỦ][^.;:]{0,80}\b(?:yêu cầu|đề nghị)\s)"
    # after the grounds of a letter ("Thực hiện Công văn số ...; Nhằm ..., Sở ... đề nghị ..."): its own text
    r"|(?<=;)\s+(?=Nhằm\b|Để\b)")


# After a bullet, in text with no blank lines: a unit's closing request ("... 02439411232. Sở Giáo dục và Đào tạo
# đề nghị Thủ trưởng các đơn vị nghiêm túc thực hiện./."), or the letter's lead-in after its last addressee ("- Sở Xây
# dựng các tỉnh: Gia Lai, Lâm Đồng. Triển khai chỉ đạo ..., Bộ Xây dựng yêu cầu các cơ quan, đơn vị:")
_BULLET_SPLIT = re.compile(rf"(?<=\.)(?<!^\d\.)(?<!^\d\d\.)\s+(?={_ORG}[^.;:]{{0,80}}\b(?:yêu cầu|đề nghị)\s|"
                           r"(?:Thực hiện|Triển khai|Căn cứ|Nhằm)\s[^.]{0,300}\b(?:yêu cầu|đề nghị)\s)")


def _sentences(para: Paragraph) -> list[Paragraph]:
    split = _BULLET_SPLIT if _MARKER_START.match(para.text) else _PARAGRAPH_SPLIT
    if not split.search(para.text):
        return [para]
    out: list[Paragraph] = []
    offset = 0
    for piece in split.split(para.text):
        at = para.text.find(piece, offset)
        offset = at + len(piece)
        starts = [(o - at, line) for o, line in para.starts if at <= o < offset]
        line = para.line_at(at)
        out.append(Paragraph(piece, line, f"dòng {line}" if para.where.startswith("dòng") else para.where,
                             [(0, line), *starts]))
    return out


def _line_number(line: TextLine, index: int) -> int:
    found = _WHERE_LINE.search(line.where)
    return int(found.group(1)) if found and line.where.startswith("dòng") else index + 1


def _wraps(before: str, after: str, margin: float | None) -> bool:
    """In text with a blank line after every line (PDF text layers): the next line goes on the paragraph when it
    starts in lower case, or, in hard-wrapped text, the line before runs to the margin (`margin`: 80% of the
    usual long line) without ending its sentence."""
    if after[:1].islower():
        return True
    return margin is not None and len(before) >= margin and not before.endswith((".", ";", ":", "!", "?"))


@dataclass
class _Spec:
    """A duty of a task block: where it stands, its text, and the block's fields."""
    body: str
    leads: list[str]
    supports: list[str]
    timeframe: str


def _strip(text: str) -> str:
    return text.strip("|* ")


def _item_body(text: str) -> str:
    for pattern in (_BULLET, _LETTER_ITEM, _PLUS):
        found = pattern.match(text)
        if found:
            return found.group("body").strip(" *_")
    return text


# "các sở, ban, ngành trong phạm vi chức năng, nhiệm vụ của mình": the scope of a duty, not part of a name
_SCOPE = re.compile(r"\s+(?:trong|theo) phạm vi\b[^;:]{0,80}?\b(?:của mình|được giao|phụ trách|quản lý)\b")


def _field_names(values: list[str]) -> list[str]:
    names: list[str] = []
    for value in values:
        value = _SCOPE.sub("", value.strip().rstrip(" .;"))
        parts = _subject(value) or [_clean(n) for n in split_units(value)]
        names += [n for n in parts if n and len(n) <= 90 and n not in names]
    return names


def _own_subjects(value: str) -> list[str]:
    """A "Cơ quan thực hiện" value whose clauses each name their units and a duty ("Sở Nội vụ chủ trì tham mưu ...;
    Sở Tư pháp và các sở, ngành chủ động tổ chức triển khai ..."): the clauses, else the value whole."""
    parts = [p.strip() for p in re.split(r";\s+", value) if p.strip()]
    if len(parts) >= 2 and all(_subject(p) and _SUBJECT_END.search(p[:160]) for p in parts) and any(
            len(p) - _SUBJECT_END.search(p[:160]).end() > 15 for p in parts[1:]):
        return parts
    return [value]


def _names_own(title: str) -> bool:
    """A numbered line that names who does it ("2. Giao Sở Tư pháp ...", "3. Văn phòng UBND tỉnh chịu trách nhiệm
    ..."): a duty of its own, not a sibling title sharing the fields of the block after it."""
    return bool(_heading_unit(title)[0] or _GIAO.search(title) or _LEAD_IN_SENTENCE.search(title) or _subject(title))


def _depth(text: str) -> int | None:
    found = _NUMBER_HEADING.match(text)
    return found.group("code").count(".") if found and found.group("title") else None


def task_blocks(paras: list[Paragraph]) -> tuple[dict[int, list[_Spec]], set[int]]:
    """Task blocks whose units stand in fields after the task's own line ("1. Tổ chức tập huấn ..." then
    "- Cơ quan chủ trì: Bộ Công an", "- Cơ quan phối hợp: ...", "- Thời gian thực hiện: ..."). The duties are
    the bullets before the fields that say what to do (a bullet of requirements or a labelled note is not one),
    else the numbered line itself, with its sibling lines just before it that have no fields of their own;
    dated "+" items under a field are duties of their own. Returns the duties by paragraph index and the
    paragraphs the blocks hold."""
    emit: dict[int, list[_Spec]] = {}
    consumed: set[int] = set()
    floor, index, count = 0, 0, len(paras)
    while index < count:
        if _field(_strip(paras[index].text)) is None:
            index += 1
            continue
        start, fields, plus, more = index, {}, [], []
        executors: list[int] = []  # "- Cơ quan thực hiện:" then "+ Sở X chủ trì ...", "+ Sở Y đăng tải ...": each acts
        contents: list[int] = []  # "- Nội dung:" then "+ Tổng kết ...", "+ Tập huấn ...": each is a duty
        opened: str | None = None  # the kind of the field just read when its value is empty (its items follow)
        while index < count:
            text = _strip(paras[index].text)
            found = _field(text)
            if found is not None and found[0] == "lead":
                value, *others = _own_subjects(found[1])
                fields.setdefault("lead", []).append(value)
                more += [(index, other) for other in others]
            elif found is not None:
                fields.setdefault(found[0], []).append(found[1])
            elif _PLUS.match(text) and fields:
                plus.append(index)
                executors += [index] if opened == "lead" and _subject(_item_body(text)) else []
                contents += [index] if opened == "other" else []
            elif fields and text[:1].islower() and not _MARKER_START.match(text):  # a value wrapped over a blank
                pass
            else:
                break
            if found is not None:
                opened = found[0] if not found[1].strip() else None
            index += 1
        if "lead" not in fields and "support" not in fields:  # "Nội dung: ...", "Thời gian: ..." alone: no block
            continue
        consumed.update(range(start, index))
        heads, owners, back = [], [], start - 1
        while back >= floor:
            text = _strip(paras[back].text)
            if _ROMAN_HEADING.match(text) or _field(text):
                break
            depth = _depth(text)
            if depth is not None:
                if _heading_unit(_NUMBER_HEADING.match(text).group("title"))[0] is None:
                    heads.insert(0, back)
                while back - 1 >= floor and _depth(_strip(paras[back - 1].text)) == depth and heads and not _names_own(
                        _NUMBER_HEADING.match(_strip(paras[back - 1].text)).group("title")):
                    back -= 1
                    heads.insert(0, back)
                break
            owners.insert(0, back)
            back -= 1
        floor = index
        if executors and not any(v.strip() for v in fields.get("lead", [])):
            fields["lead"] = [_item_body(_strip(paras[executors[0]].text))]  # the first executor leads the duty;
            more += [(at, _item_body(_strip(paras[at].text))) for at in executors[1:]]  # the others, their own
            plus = [at for at in plus if at not in executors]
        leads, supports = _field_names(fields.get("lead", [])), _field_names(fields.get("support", []))
        supports += [n for v in fields.get("lead", []) for n in _supports(v) if n not in supports]
        timeframe = " ".join(fields.get("time", []))[:200]
        duties: list[tuple[int, str]] = []
        core = 0
        for at in owners:
            body = _item_body(_strip(paras[at].text))
            if not body or body.endswith(":"):
                continue
            dated = _dated(body)
            named = _supports(body) if "phoi hop" in fold(body)[:40] and not dated else []
            if named:  # "- MTTQ phối hợp với UBND xã ...": the supports
                supports += [n for n in named if n not in supports]
                continue
            label, colon, _ = body.partition(":")
            if not dated and (_REQUIREMENT.search(body) or (colon and len(label) < 60)):
                continue
            duties.append((at, body))
            core += not dated
        dated_plus = [(at, _item_body(_strip(paras[at].text))) for at in plus if _dated(paras[at].text)]
        if contents and not dated_plus:  # the block's content is listed item by item: those are its duties
            duties, heads = [(at, _item_body(_strip(paras[at].text))) for at in contents], []
        if heads and _depth(_strip(paras[heads[-1]].text)):  # "2.1. ...": the item is the duty, its bullets say how
            duties = [(at, body) for at, body in duties if _dated(body)]
        if heads and not dated_plus and all(_dated(body) for _, body in duties):
            titles = [_NUMBER_HEADING.match(_strip(paras[at].text)).group("title").strip(" *") for at in heads]
            duties = [*zip(heads, titles, strict=True), *duties]
        consumed.update(heads)
        consumed.update(owners)
        for at, body in [] if dated_plus else more:  # "Cơ quan thực hiện: X chủ trì ...; Y, Z chủ động ...": Y
            # and Z's duty too (unless the block's dated "+" items already split its duties by date)
            emit.setdefault(at, []).append(_Spec(body, _subject(body), [], timeframe))
        for at, body in [*duties, *dated_plus]:
            own = _subject(body) if at in plus else []
            deadline = _DEADLINE.search(body)
            emit.setdefault(at, []).append(_Spec(body, own or leads, supports, deadline.group(0) if (
                deadline and (at in plus or _dated(body))) else timeframe or (deadline.group(0) if deadline else "")))
    return emit, consumed


@dataclass
class _Context:
    section: str | None = None
    section_code: str | None = None
    organisation: bool = False
    # under "MỤC ĐÍCH, YÊU CẦU", "MỤC TIÊU, ĐỐI TƯỢNG": a sentence whose subject is a crowd ("các cơ quan có liên
    # quan xác định ...", "Các doanh nghiệp ... cung cấp ...") states an aim or whom the plan is for, not a duty
    aims: bool = False
    progress: bool = False
    unit: str | None = None
    unit_code: str | None = None
    request: bool = False
    seq: int = 0
    timetable: bool = False  # under a numbered "Thời gian thực hiện" / "Tiến độ" heading: dated items are milestones
    callers: tuple[list[str], bool] = ([], False)  # "đề nghị các đơn vị thực hiện các nội dung sau:" (names, request)
    directed: list[str] = field(default_factory=list)  # under a unit, "Chỉ đạo X thực hiện các nội dung sau:": X
    # "2. Sở Y tế chủ trì, phối hợp với A, B:": A and B support each duty under that heading
    heading_supports: list[str] = field(default_factory=list)


# "Đề nghị Quý cơ quan ...": a request to the letter's addressees (the "Kính gửi:" lines)
_TO_ADDRESSEES = re.compile(
    r"^(?:Kính\s+)?[Đđ]ề nghị\s+(?:Quý\s+(?:cơ quan|đơn vị|vị)|các đồng chí|đồng chí|các đơn vị|Quý)\b")


def _addressee(text: str) -> str:
    """ "Kính gửi: Ủy ban nhân dân các xã Căn cứ ..." -> "Ủy ban nhân dân các xã"; "- Sở Y tế;" -> "Sở Y tế"."""
    name = text.split(":", 1)[1] if ":" in text[:20] else _item_body(text)
    name = re.split(r"\s+(?:Căn cứ|Thực hiện|Theo|Ngày)\b|\.\s", name.strip(" *_"), maxsplit=1)[0]
    return _clean(name)


def extract_prose(lines: list[TextLine], *, past_appendix: bool = False) -> list[ParsedItem]:
    """Tasks from the paragraphs of a plan without a task table (see the module doc); `past_appendix` reads on
    past a "Phụ lục" heading (a file whose body gave no duty)."""
    items: list[ParsedItem] = []
    ctx = _Context()
    addressees: bool | str = False
    recipients: list[str] = []
    orphans: list[tuple[Paragraph, str]] = []
    letter_items = orphans  # the letter's own items (before its "Nơi nhận")
    paras = paragraphs(lines)
    emit, consumed = task_blocks(paras)
    titled: tuple[int, Paragraph] | None = None  # the numbered title just read, when it gave no task
    joined: set[int] = set()  # bold lines read as the rest of the unit heading before them
    for index, para in enumerate(paras):
        if index in joined:
            continue
        text = para.text.strip("|* ")
        folded = fold(text)
        if folded.startswith("phu luc") and not past_appendix:
            break  # the appendix: no more duties in prose
        if folded.startswith("noi nhan"):  # the addressees; a plan or a guide issued with the letter may follow
            ctx, addressees, orphans = _Context(), True, []  # the letter ends: what follows is not to its addressees
            continue
        if folded.startswith("kinh gui") or folded.endswith(("kinh gui:", " dien:")):  # "BỘ XÂY DỰNG điện:"
            addressees = "to"  # "Kính gửi:" and the "- ..." lines under it name whom the letter goes to
            name = _addressee(text) if folded.startswith("kinh gui") else ""
            recipients += [name] if name else []
            continue
        if addressees and _BULLET.match(text):
            name = _addressee(text) if addressees == "to" else ""
            recipients += [name] if name and _ORG_ANY_CASE.match(name) else []
            continue
        addressees = False
        if folded.startswith(("yeu cau ", "trong qua trinh", "tren day la")) or (
                not _MARKER_START.match(text) and (" yeu cau " in folded[:150] or (
                    folded.startswith("dinh ky") and "bao cao" in folded))):
            ctx.unit = None  # the closing lines: no longer under the last unit's heading
        if folded.startswith("can cu") and ctx.unit is None:  # grounds; or "Căn cứ ..., các cơ quan, đơn vị thực
            ctx.callers = (_subject(text), False) if text.endswith(":") else ([], False)  # hiện các hoạt động sau:"
            continue
        roman = _ROMAN_HEADING.match(text)
        if roman and _is_caps(roman.group("title")):
            title = fold(roman.group("title"))
            ctx = _Context(section=text, section_code=roman.group("code"),
                           organisation=any(w in title for w in _ORGANISATION), aims=title.startswith(_AIMS),
                           progress=any(w in title for w in _PROGRESS) and not any(
                               w in title for w in ("to chuc", "phan cong", "noi dung")))
            continue
        if index in consumed:
            numbered = _NUMBER_HEADING.match(text)
            if numbered and numbered.group("title"):
                ctx.unit, ctx.unit_code, ctx.request, ctx.seq, ctx.timetable = (
                    None, numbered.group("code"), False, 0, False)
            for spec in emit.get(index, []):
                _add(items, ctx, para, spec.body, leads=spec.leads or ([ctx.unit] if ctx.unit else []),
                     supports=spec.supports, timeframe=spec.timeframe)
            continue
        numbered = _NUMBER_HEADING.match(text)
        if numbered and numbered.group("title"):
            head = numbered.group("title")
            unit, rest = _heading_unit(head)
            ctx.seq = 0
            follow = _name_goes_on(para, paras[index + 1]) if unit is not None and index + 1 < len(paras) else None
            if follow:  # "**3. Đề nghị Ủy ban MTTQ Thành phố, Hội Liên hiệp**" "**Phụ nữ Thành phố và ...**": one name
                head = f"{head.rstrip(' *')} {follow}"  # a name, however long: the bold span holds nothing else
                unit, rest = _clean(re.sub(r"^Đề nghị\s*:?\s+", "", head.strip(" *"))), ""
                joined.add(index + 1)
            if unit is not None:
                ctx.unit, ctx.unit_code = unit, numbered.group("code")
                ctx.heading_supports = [n for n in _supports(head.split(":", 1)[0]) if fold(n) != fold(unit)]
                titled = (index, para) if para.where.startswith("dòng") and not rest else None
                ctx.request = fold(head).startswith("de nghi")
                if rest:
                    _add(items, ctx, para, rest)
                continue
            ctx.unit, ctx.unit_code, ctx.request = None, numbered.group("code"), False
            ctx.heading_supports = []
            ctx.timetable = len(head) < 60 and fold(head).startswith(_TIMETABLE)
            giao = _GIAO.match(head.strip(" *"))
            if giao is not None and head.rstrip(" *").endswith(":"):  # "1. Giao X ...; thực hiện các nhiệm vụ sau:"
                end = _name_end(giao.group("name"))
                name = _clean(giao.group("name")[:end.start()] if end else giao.group("name"))
                if name:  # a lead-in: the items under it are X's
                    ctx.unit = name
                    ctx.heading_supports = [n for n in _supports(head) if fold(n) != fold(name)]
                    continue
            if ctx.progress or ctx.timetable:
                continue
            before = len(items)
            _named_or_called(items, ctx, para, head, orphans)
            titled = (index, para) if len(items) == before and para.where.startswith("dòng") else None
            continue
        if titled and titled[0] == index - 1 and not _MARKER_START.match(text) and (
                index + 1 == len(paras) or _MARKER_START.match(paras[index + 1].text.strip("|* "))) and (
                ctx.unit is None or (_number_alone(titled[1]) and (
                    index + 1 == len(paras) or not _BULLET.match(paras[index + 1].text.strip("|* "))))):
            # "3. Xây dựng văn bản ..." then one plain paragraph naming who does it: the task stands at its number;
            # so does a unit heading's one paragraph when the number stands alone on its line ("**3.\nSở Tài
            # chính:**"); under a name wrapped over two lines ("**4. Sở Văn hoá, Thể thao\nvà Du lịch**") the
            # paragraph stays where its text starts
            line = titled[1].line
            para = Paragraph(para.text, line, f"dòng {line}", [(0, line)])
        titled = None
        body = text
        for pattern in (_BULLET, _LETTER_ITEM):
            found = pattern.match(text)
            if found:
                body = found.group("body")
                break
        if not _MARKER_START.match(text):  # a lead-in names who does the items after it; other text ends that
            ctx.callers = _callers(body, recipients) if body.endswith(":") else ([], False)
        if ctx.unit is not None and not _BULLET.match(text):  # under a unit: "a) Chỉ đạo X ..., cụ thể như sau:"
            ctx.directed = _directed(body) if body.endswith(":") else []
        said = re.search(r"\.\s*Cụ thể(?: như sau)?\s*:$", body)  # "... chủ động điều chỉnh lịch học. Cụ thể:"
        if not body or (body.endswith(":") and not said and _lead_in(body)) or re.fullmatch(
                r"[*_\s]*\([^()]*\)[*_\s./]*", body):  # a lead-in; "(Công điện số 225/CĐ-TTg gửi kèm theo)"
            continue
        if ctx.progress or (ctx.timetable and _dated(body)):  # under "2. Thời gian thực hiện": "- Đợt 1: từ ..."
            _add(items, ctx, para, body, milestone=True)
        elif ctx.unit is not None:
            subject = _subject(body)  # "- Các ngân hàng thương mại phối hợp ...": the sentence names who acts
            shared = _each_its_part(ctx.unit, body)
            if shared:  # "7. Các sở, ngành, UBND các xã": "các sở, ngành ...; UBND các xã ...": both lead it
                _add(items, ctx, para, body, leads=shared)
            elif subject and fold(subject[0]) != fold(ctx.unit):
                _add(items, ctx, para, body, leads=subject)
            elif ctx.directed and _BULLET.match(text):  # the bullets under "Chỉ đạo X ...:" are X's
                _add(items, ctx, para, body, leads=ctx.directed)
            else:
                _add(items, ctx, para, body)
        elif recipients and _TO_ADDRESSEES.match(body):
            ctx.request = True
            _add(items, ctx, para, body, leads=recipients)
            ctx.request = False
        else:
            _named_or_called(items, ctx, para, body, orphans)
    if not items and recipients:  # a letter whose items name no unit: they are its addressees' duties
        for para, body in letter_items:
            _add(items, _Context(), para, body, leads=recipients)
    resolve_named_above(items)
    return items


# "Các Sở nêu trên", "các đơn vị nêu trên", "các cơ quan, đơn vị trên": the units named before, not a unit
_ABOVE = re.compile(
    r"^(?:các|những)\s+(?P<kinds>\S.{0,40}?)\s+(?:nêu trên|kể trên|nói trên|đã nêu|trên)$", re.IGNORECASE)
# The kind of body a reference names ("các Sở nêu trên": those whose name starts with "Sở")
_KIND_PREFIX = {"so": ("Sở",), "phong": ("Phòng",), "bo": ("Bộ",), "cuc": ("Cục",), "vu": ("Vụ",),
                "trung tam": ("Trung tâm",), "truong": ("Trường",), "ban": ("Ban",), "chi cuc": ("Chi cục",),
                "xa": ("UBND", "Ủy ban", "Uỷ ban"), "ubnd": ("UBND", "Ủy ban", "Uỷ ban"),
                "uy ban": ("UBND", "Ủy ban", "Uỷ ban")}


def _above(name: str) -> tuple[str, ...] | None:
    """The name prefixes a "các X nêu trên" reference stands for (() for any unit), or None: not a reference."""
    found = _ABOVE.match(name.strip())
    if found is None:
        return None
    kinds = [fold(k).strip() for k in re.split(r",|\s+và\s+", found.group("kinds")) if k.strip()]
    if kinds and all(k in _KIND_PREFIX for k in kinds):
        return tuple(p for k in kinds for p in _KIND_PREFIX[k])
    return ()


def resolve_named_above(items: list[ParsedItem]) -> None:
    """Put the units a reference stands for ("các Sở nêu trên") in its place: those named before it in the same
    duty, else in the same numbered part, else in the same section; a reference with nothing before it stays."""
    if not any(_above(n) is not None for item in items for n in (*item.lead, *item.support)):
        return
    section: list[str] = []
    part: list[str] = []
    where: tuple[str | None, str] | None = None
    current_section: str | None = None
    for item in items:
        if item.section != current_section:
            current_section, section, part = item.section, [], []
        block = (item.section, item.code.rsplit(".", 1)[0])
        if block != where:
            where, part = block, []
        own = [n for n in (*item.lead, *item.support) if _above(n) is None]
        folded = fold(item.title)
        for side in ("lead", "support"):
            names: list[str] = getattr(item, side)
            resolved: list[str] = []
            for name in names:
                prefixes = _above(name)
                if prefixes is None:
                    resolved.append(name)
                    continue
                scopes = [[n for n in scope if _concrete(n) and (not prefixes or n.startswith(prefixes))
                           and f"ve {fold(n)}" not in folded]  # not those it reports to ("... về Sở Y tế")
                          for scope in (own, part, section)]  # a plural: the first scope naming two or more
                found = next((s for s in scopes if len(s) >= 2), None) or next((s for s in scopes if s), [name])
                resolved += [n for n in found if n not in resolved]
            setattr(item, side, resolved)
        item.support = [n for n in item.support if n not in item.lead]
        for name in (*item.lead, *item.support):
            if _above(name) is None:  # kinds and crowds are left out when a reference is resolved
                part += [name] if name not in part else []
                section += [name] if name not in section else []


@functools.lru_cache(maxsize=1024)
def _concrete(name: str) -> bool:
    """A named unit, not a kind of unit or a crowd ("các sở, ngành", "các đơn vị liên quan")."""
    return not is_vague(name) and not is_group_like(name)


_CALLERS = re.compile(
    r"\b(?P<verb>đề nghị|yêu cầu)\s+(?P<names>\S.{2,200}?)(?:\s+(?:thực hiện|triển khai|quan tâm|khẩn trương|chỉ đạo|"
    r"tổ chức|phối hợp|nghiên cứu|rà soát|lưu ý|tập trung|chủ động)\b|\s*:\s*$)", re.IGNORECASE)


def _callers(body: str, recipients: list[str]) -> tuple[list[str], bool]:
    """The units a lead-in line asks to do the items after it ("Sở Nội vụ đề nghị các cơ quan, đơn vị thực
    hiện một số nội dung sau:"; "Quý cơ quan": the letter's addressees), and whether it is a request."""
    found = _CALLERS.search(body)
    if found is None:
        return [], False
    request = fold(found.group("verb")) == "de nghi"
    if fold(found.group("names")).startswith("quy "):
        return list(recipients), request
    names = [_clean(n) for n in split_units(found.group("names"))]
    return (names, request) if names and all(_ORG_ANY_CASE.match(n) for n in names) else ([], False)


_DIRECTS = re.compile(r"^(?:Chỉ đạo|Hướng dẫn|Đôn đốc)\s+(?P<rest>(?:các|những)\s.+)$")


def _directed(body: str) -> list[str]:
    """The units a unit's lead-in line directs to do the bullets after it ("Chỉ đạo các bệnh viện tuyến tỉnh thực
    hiện các nội dung sau:", "Chỉ đạo các Ngân hàng thương mại trên địa bàn chủ động ..., cụ thể như sau:")."""
    found = _DIRECTS.match(body)
    if found is None:
        return []
    rest = found.group("rest")
    rest = rest[:1].upper() + rest[1:]
    return _subject(rest)


# "Ủy ban nhân dân Thành phố ban hành Kế hoạch ... như sau:": the issuer issuing the plan, the text that follows
_ISSUES = re.compile(r"\bban hành (?:Kế hoạch|Chỉ thị|Phương án|Chương trình)\b.*\bnhư sau\s*:$")


def _lead_in(body: str) -> bool:
    """A line ending ":" that introduces what follows: short, naming whom it asks only, or issuing the plan."""
    return len(body) < 200 or _asks_only(body) or _ISSUES.search(body) is not None


def _asks_only(body: str) -> bool:
    """"..., Bộ Xây dựng yêu cầu các cơ quan, đơn vị:": a lead-in naming whom it asks and nothing to do."""
    found = _CALLERS.search(body)
    return found is not None and found.end() >= len(body.rstrip())


def _named_or_called(items: list[ParsedItem], ctx: _Context, para: Paragraph, body: str,
                     orphans: list[tuple[Paragraph, str]]) -> None:
    """`_named`; an item naming no unit under a lead-in that asks units to do the items goes to those units; other
    items naming no unit are kept in `orphans` (a letter with no other duty gives them to its addressees)."""
    before = len(items)
    _named(items, ctx, para, body)
    names, request = ctx.callers
    if len(items) == before and names:
        ctx.request = request
        _add(items, ctx, para, body, leads=names)
        ctx.request = False
    elif len(items) == before and _MARKER_START.match(para.text.strip("|* ")) and len(body) > 20:
        orphans.append((para, body))


def _dated(body: str) -> bool:
    """A clause with a calendar deadline ("trước ngày 31/12", "từ ngày ... đến ngày ..."), not only "hằng năm"."""
    found = _DEADLINE.search(body)
    return found is not None and not found.group(0).lower().startswith(("hằng", "hàng", "thường", "định"))


def _each_its_part(unit: str, body: str) -> list[str]:
    """The bodies a heading lists when its paragraph gives two or more of them their part, each clause starting
    with one of them ("Các sở, ngành tỉnh tổ chức thực hiện ...; UBND các xã xây dựng kế hoạch ..."), else []."""
    parts = [_clean(n) for n in split_units(unit)]
    if len(parts) < 2:
        return []
    starts = {fold(_LEADING_CLAUSE.sub("", clause.strip(), count=1)) for clause in re.split(r";\s+", body)}
    named = [p for p in parts if p and any(s.startswith(f"{fold(p)} ") for s in starts)]
    return parts if len(named) >= 2 else []


def _number_alone(heading: Paragraph) -> bool:
    """Whether a numbered heading's number stands on a line of its own ("**3." then "Sở Tài chính:**")."""
    first = heading.text[:heading.starts[1][0]] if len(heading.starts) > 1 else heading.text
    return re.fullmatch(r"[*_\s]*\d{1,2}(?:\.\d{1,2})*\s*[.)][*_\s]*", first) is not None


def _is_caps(text: str) -> bool:
    letters = [ch for ch in text if ch.isalpha()]
    return bool(letters) and sum(ch.isupper() for ch in letters) >= 0.7 * len(letters)


def _name_goes_on(heading: Paragraph, after: Paragraph) -> str | None:
    """The rest of a bold unit heading's name wrapped onto a bold line of its own after a blank line ("**3. Đề nghị
    ..., Hội Liên hiệp**", "**Phụ nữ Thành phố và các tổ chức thành viên**"), or None."""
    head, name = heading.text.strip(), after.text.strip("* ")
    if not (heading.bold_end and after.bold_end) or len(after.starts) > 2 or after.line - heading.line > 4:
        return None
    if _MARKER_START.match(name) or name.endswith((".", ":", ";")) or len(name) > 120 or head.rstrip("* ").endswith(
            (".", ":", ";", ")")):
        return None
    return name


def _heading_unit(head: str) -> tuple[str | None, str]:
    """"Sở Tài chính" -> ("Sở Tài chính", ""); "Sở Y tế: chủ trì ..." -> ("Sở Y tế", "chủ trì ...")."""
    head = head.strip().strip("*").strip()
    if not _ORG_START.match(head) and not re.match(r"^Đề nghị\s*:?\s+[A-ZĐÂĂÊÔƠƯỦ]", head):
        return None, ""
    name_part = re.sub(r"\s*\([^()]*\)", "", re.sub(r"^Đề nghị\s*:?\s+", "", head)).strip()
    if ":" in name_part[:120]:
        name, rest = name_part.split(":", 1)
        end = _NAME_END.search(name)  # "Sở Y tế chủ trì, phối hợp với Sở Tài chính:" names Sở Y tế
        if end is not None and end.group(0).strip() in ("chủ trì", "phối hợp", "là"):
            name = name[:end.start()]
        return _clean(name), rest.strip()
    if len(name_part) <= 100 and not name_part.endswith("."):
        return _clean(name_part), ""
    end = _name_end(name_part)
    if end is None:
        return None, ""
    name = _clean(name_part[:end.start()])
    return (name, head) if name else (None, "")


def _heading_leads(unit: str | None) -> list[str]:
    """The unit of a heading as leads: one name, or the bodies it lists when it names three or more ("6. Đề nghị Văn
    phòng Tỉnh ủy và các Ban Xây dựng Đảng ..., Tòa án nhân dân tỉnh, Thuế tỉnh, ..."); "Các sở, ban, ngành, đoàn thể
    cấp tỉnh và UBND các xã, phường" stays one group."""
    if not unit:
        return []
    parts = [_clean(p) for p in unit.split(";")]
    if len(parts) >= 2 and all(p and _ORG_ANY_CASE.match(p) for p in parts):
        return parts  # "Sở Nội vụ; Đài Phát thanh và Truyền hình tỉnh": the writer set each body apart
    names = [_clean(n) for n in split_units(unit)]
    listed = [n for n in names if n and _ORG_ANY_CASE.match(n)]
    if _HEADS_AND_BODIES.match(unit) or (len(names) >= 2 and all(_HEADS.match(n) for n in names)):
        return names  # "Thủ trưởng các sở và UBND các xã", "Bộ trưởng, Thủ trưởng ..., Chủ tịch UBND các tỉnh"
    if len(names) >= 2 and all(n[:1].isupper() and _BODY_START.match(n) for n in names):
        return names  # "3. Cục Điện ảnh, Cục Du lịch Quốc gia Việt Nam": each named body leads
    return listed if len(listed) >= 3 and len(listed) >= len(names) - 1 else [unit]


_HEADS = re.compile(r"^(?:Bộ trưởng|Thủ trưởng|Chủ tịch|Giám đốc|Người đứng đầu)[\s,]")
# The word a named body's name starts with (not a crowd: "Các ...", "Thủ trưởng ...")
_BODY_START = re.compile(r"^(?:Sở|Bộ|Cục|Tổng cục|Chi cục|Vụ|Văn phòng|Phòng|UBND|Ủy ban|Uỷ ban|Công an|Trung tâm|"
                         r"Ngân hàng|Kho bạc|Bảo hiểm|Đài|Ban|Viện|Thanh tra|Tỉnh đoàn|Bộ Chỉ huy)\s+\S")


def _name_end(text: str) -> re.Match[str] | None:
    """Where a unit's name ends in a sentence; a verb followed at once by another ("Cục Kết cấu hạ tầng xây dựng tham
    mưu ...") is the end of the name, not the duty."""
    end = _NAME_END.search(text)
    if end is not None and _DESCRIBED.search(text[:end.start()]):  # "Các cơ quan được giao chủ trì có trách nhiệm"
        return _DUTY_BOUND.search(text, end.end()) or end
    if end is not None and end.group(0).strip() == "xây dựng":
        after = _NAME_END.match(text, end.end())
        if after is not None and after.group(0).strip()[:1].isalpha():
            return after
    return end


def _clean(name: str) -> str:
    name = re.sub(r"\s*\([^()]*\)?\s*$", "", name.strip().strip("*").strip())
    return name.strip(" ,.;:-–*")


def _named(items: list[ParsedItem], ctx: _Context, para: Paragraph, body: str) -> None:
    """A sentence outside a unit's heading: a task only where it names its lead ("X chủ trì", "giao X")."""
    lead = _LEAD_IN_SENTENCE.search(body)
    if lead is not None:
        _add(items, ctx, para, body, lead=_clean(lead.group("name")))
        return
    giao = _GIAO.search(body)
    if giao is not None:
        name = giao.group("name")
        end = _name_end(name)
        name = _clean(name[:end.start()] if end else name)
        if name and fold(name) not in ("nhiem vu",):
            _add(items, ctx, para, body, lead=name)
        return
    required = _REQUIRE.search(body)
    if required is not None and (required.start() < 100 or _asker(body[:required.start()])):
        names = [_clean(n) for n in split_units(required.group("names"))]
        if names and all(_ORG_START.match(n[:1].upper() + n[1:]) for n in names):
            _add(items, ctx, para, body, leads=names)
        return
    subject = _subject(body)
    if subject and not (ctx.aims and not any(_concrete(n) for n in subject)):
        _add(items, ctx, para, body, leads=subject)
    elif body.startswith("Trong quá trình") and _UNSAID_REPORT.match(_LEADING_CLAUSE.sub("", body, count=1)) and (
            items and items[-1].line is not None and 0 <= para.line - items[-1].line <= 3):
        _add(items, ctx, para, body, leads=list(items[-1].lead))


# "... Trong quá trình thực hiện nếu phát sinh vướng mắc, báo cáo kịp thời UBND tỉnh ...": a closing sentence that
# names no one reports for the units the sentence just before it tasked (at most 3 lines above)
_UNSAID_REPORT = re.compile(r"^(?:kịp thời\s+|chủ động\s+)?(?:báo cáo|phản ánh)\b", re.IGNORECASE)


def _asker(before: str) -> bool:
    """"Nhằm đảm bảo sức khỏe ..., Sở Giáo dục và Đào tạo" before "đề nghị ...": a unit asks, after its purpose; "Trên
    đây là kế hoạch ..., đề nghị ...": the closing request."""
    return _ORG_START.match(before.rsplit(", ", 1)[-1].strip()) is not None or fold(before).startswith("tren day la")


# Units of the issuer's own ("các đơn vị trực thuộc", "các phòng thuộc Sở"): directed, never asked
_OWN_UNITS = re.compile(r"\b(?:trực thuộc|thuộc Sở|thuộc Bộ|thuộc UBND)\b", re.IGNORECASE)


def _request_sides(leads: list[str], request: bool) -> list[tuple[list[str], bool]]:
    """A request to mixed addressees ("đề nghị UBND các xã, phường; các đơn vị, cơ sở giáo dục trực thuộc ..."):
    one duty asked of the bodies the issuer does not direct, one directed to its own units."""
    own = [n for n in leads if _OWN_UNITS.search(n)]
    if not request or not own or len(own) == len(leads):
        return [(leads, request)]
    return [([n for n in leads if n not in own], True), (own, False)]


# "Các cơ quan, đơn vị được giao chủ trì có trách nhiệm ...": a name describing a role ends at "có trách nhiệm"
_DESCRIBED = re.compile(r"\bđược (?:giao|phân công)$")
_DUTY_BOUND = re.compile(r"\s+(?:có|chịu) trách nhiệm\b")


def _subject(body: str) -> list[str]:
    """"Ủy ban nhân dân xã, phường huy động nguồn lực ...", "Mở tài khoản: UBND xã phối hợp với ...": an item
    whose sentence starts with the units that act (after a short label and its colon), then a duty verb."""
    label, colon, rest = body.partition(":")
    text = rest.strip() if colon and len(label) < 80 and rest.strip() else body
    text = _LEADING_CLAUSE.sub("", text, count=1)
    text = re.sub(r"^(?:Kính\s+)?[Đđ]ề nghị\s+", "", text)  # a request: the units after it act
    if not _ORG_ANY_CASE.match(text) or fold(text).startswith("to chuc "):  # "Tổ chức hội nghị": the verb
        return []
    if all(word.isupper() for word in text.split()[:3]):  # a letterhead ("VĂN PHÒNG UBND TỈNH"), not a sentence
        return []
    end = _SUBJECT_END.search(text[:160])
    if end is not None and _DESCRIBED.search(text[:end.start()]):
        end = _DUTY_BOUND.search(text[:200], end.end()) or end
    if end is None or end.start() < 3 or fold(text[:end.start()]).endswith(" da"):  # "... đã ban hành": done
        return []
    names = [_clean(n) for n in split_units(text[:end.start()])]
    return names if names and all(_ORG_ANY_CASE.match(n) and len(n) <= 90 for n in names) else []


def _supports(body: str) -> list[str]:
    names: list[str] = []
    for found in _SUPPORT.finditer(body):
        text = found.group("names")
        end = _SUPPORT_END.search(text)
        text = text[:end.start()] if end else text
        for piece in split_units(text):  # the table cells' splitter: protected group names stay whole
            piece = _clean(re.sub(r"\s+(?:và|hoặc)$", "", piece.strip()))  # "X và" before a verb the list misses
            if piece and piece not in names and _ORG_START.match(piece[:1].upper() + piece[1:]):  # not a verb
                names.append(piece)
    return names


def _refers_above(clause: str) -> list[str]:
    """The subject of a clause that starts with a reference to units named before ("các Sở nêu trên ...")."""
    if "trên" not in clause[:200] and "đã nêu" not in clause[:200]:
        return []
    subject = _subject(clause)
    return subject if subject and all(_above(n) is not None for n in subject) else []


def _new_actor(clause: str, first: str) -> list[str]:
    """The named bodies a later clause of a sentence starts with, after its circumstance ("trường hợp vượt thẩm
    quyền, Sở X tổng hợp ..."), when they are concrete bodies the first clause does not start with; else []."""
    names = _subject(clause)
    if not names or not all(n[:1].isupper() and _concrete(n) for n in names):
        return []
    return [] if fold(first).startswith(tuple(fold(n) for n in names)) else names


# "... phản ánh về Sở Y tế tổng hợp, trình ...": the body told of the problems acts on them, a duty of its own
# ("... về Sở Y tế để tổng hợp ...": the purpose of the report, the same duty)
_PASSED_ON = re.compile(
    rf"\b(?:phản ánh|báo cáo|gửi)(?:\s+kịp thời)?\s+(?:về|cho|đến)\s+(?P<name>{_ORG}(?:(?!\s+để\b)[^,;.()]){{0,60}}?)"
    r"(?=\s+(?:tổng hợp|xem xét|tham mưu|giải quyết|xử lý)\b)")


def _clauses(body: str, under_unit: bool) -> list[str]:
    """One clause per deliverable with its own date (the whole sentence when fewer than two have dates); under a
    unit's heading, a "phối hợp ..." clause is a duty of its own (the unit supports there); a sentence that
    starts a request or a recurring report ("... mình. Hằng năm báo cáo ...") is one too."""
    sentences = [p for p in _SENTENCE_SPLIT.split(body) if p.strip()]
    if len(sentences) > 1:
        return [c for sentence in sentences for c in _clauses(sentence, under_unit)]
    passed = _PASSED_ON.search(body)
    if passed is not None and _new_actor(body[passed.start("name"):], body):
        return [*_clauses(body[:passed.end("name")], under_unit), *_clauses(body[passed.start("name"):], under_unit)]
    if under_unit and fold(body).startswith("phoi hop") and _supports(body):  # "- Phối hợp với X ... . Nâng cao ...":
        first, *rest = re.split(r"(?<=\.)\s+(?=[A-ZĐ])", body, maxsplit=1)  # the unit's own duty after its support
        if rest and not fold(rest[0]).startswith(("phoi hop", "dong thoi", "dam bao", "bao dam")):
            return [*_clauses(first, under_unit), *_clauses(rest[0], under_unit)]
    parts = [p.strip() for p in re.split(r";\s+", body) if p.strip()]
    referring = [i for i, part in enumerate(parts) if i and _refers_above(part)]
    if referring:  # "X chủ trì ...; các Sở nêu trên báo cáo kết quả ...": those units' duty of their own
        return [*_clauses("; ".join(parts[:referring[0]]), under_unit), "; ".join(parts[referring[0]:])]
    acting = [i for i, part in enumerate(parts) if i and _new_actor(part, parts[0])]
    if acting:  # "... đề nghị các đơn vị phản ánh về Sở X; trường hợp vượt thẩm quyền, Sở X tổng hợp, trình ...":
        at = acting[0]  # the later clause is its named body's duty of its own
        return [*_clauses("; ".join(parts[:at]), under_unit), *_clauses("; ".join(parts[at:]), under_unit)]
    reporting = [i for i, part in enumerate(parts)
                 if i and fold(part).startswith(_RECURRING) and "bao cao" in fold(part)]
    if not under_unit and reporting:  # "Giao X chủ trì ... Kế hoạch này; định kỳ báo cáo kết quả về ...": two duties
        return ["; ".join(parts[:reporting[0]]), "; ".join(parts[reporting[0]:])]
    if under_unit:
        joined: list[str] = []
        for part in parts:
            folded = fold(part)
            starts = folded.startswith("phoi hop") and bool(_supports(part))  # "phối hợp với X ...": X leads
            reports = (folded.startswith(_RECURRING) or _DEADLINE.match(part) is not None) and "bao cao" in folded[:80]
            # "định kỳ báo cáo ...", "trước ngày 15/12 hằng năm tổng hợp, báo cáo ...": a duty too
            if joined and reports:
                joined.append(part)
            elif joined and (not starts or fold(joined[-1]).startswith("phoi hop")):
                joined[-1] = f"{joined[-1]}; {part}"
            else:
                joined.append(part)
        if len(joined) > 1:
            return joined
    dated = [p for p in parts if _DEADLINE.search(p) and not _DEADLINE.search(p).group(0).lower().startswith(
        ("hằng", "hàng", "thường", "định"))]
    return dated if len(dated) >= 2 else [body]


# "..., đảm bảo hoàn thành thực thi trong năm 2026": the heading's unit answers for the result it helps with
_ANSWERS = re.compile(r"\b(?:đảm|bảo) bảo hoàn thành\b", re.IGNORECASE)
_MINISTRY = re.compile(r"^Bộ\s+(?!phận|Chỉ huy|Tư lệnh)")


def _answers_for(unit: str, clause: str, request: bool = False) -> bool:
    """Whether a "Phối hợp với X ..." duty under a unit's heading stays that unit's: it answers for the result
    ("bảo đảm hoàn thành ..."); X is another ministry, which a plan cannot give a task to a unit below one; the
    heading names a crowd ("Các tổ chức, cá nhân liên quan") and X another ("các cơ quan có thẩm quyền"): one
    crowd for another names nobody new; or the heading asks ("Đề nghị ..."): a request to bodies the issuer does
    not direct asks them to help, it gives X no duty."""
    if request or (is_vague(unit) and not any(_concrete(n) for n in _supports(clause))):
        return True
    supports = [n for n in _supports(clause) if not is_vague(n)]
    ministries = bool(supports) and all(_MINISTRY.match(n) for n in supports) and not _MINISTRY.match(unit)
    return ministries or bool(_ANSWERS.search(clause))


def _add(items: list[ParsedItem], ctx: _Context, para: Paragraph, body: str, *, lead: str | None = None,
         leads: list[str] | None = None, milestone: bool = False, supports: list[str] | None = None,
         timeframe: str | None = None) -> None:
    if leads and len(leads) > 1:
        sides = _request_sides(leads, ctx.request or fold(body).startswith("de nghi") or bool(
            re.search(r"\bđề nghị\b", body[:300])))
        if len(sides) > 1:
            for names, asked in sides:
                kept, ctx.request = ctx.request, asked
                _add(items, ctx, para, body, leads=names, milestone=milestone, supports=supports, timeframe=timeframe)
                ctx.request = kept
            return
    given = supports
    if given is None and lead is None and leads is None and ctx.unit is not None:
        given = ctx.heading_supports or None  # a duty of the heading's unit: the heading's partners support it
    for clause in _clauses(body, lead is None and leads is None and ctx.unit is not None):
        ctx.seq += 1
        code = ".".join(c for c in (ctx.section_code, ctx.unit_code, str(ctx.seq)) if c)
        supports = [*(given or []), *(n for n in _supports(clause) if n not in (given or []))]
        named = (_refers_above(clause) or _new_actor(clause, body)) if clause is not body else []
        named = named or leads or ([lead] if lead else _heading_leads(ctx.unit))
        folded = fold(clause)
        swap = lead is None and leads is None and ctx.unit and supports
        if swap and folded.startswith("phoi hop") and "chu tri" not in folded and not _answers_for(
                ctx.unit, clause, ctx.request):
            supports, named = [ctx.unit], supports  # "Phối hợp với X, Y và các cơ quan liên quan": all of them lead
        deadline = _DEADLINE.search(clause)
        item = ParsedItem(
            kind="task", appendix=None, section=ctx.section, code=f"P.{code}", title=clause[:500],
            where=para.where, position=len(items) + 1, raw_code=str(ctx.seq), section_code=ctx.section_code,
            timeframe_cell=timeframe if timeframe is not None else (deadline.group(0) if deadline else ""),
        )
        offset = para.text.find(clause[:60])
        item.source, item.line, item.milestone = "prose", para.line_at(offset) if offset >= 0 else para.line, milestone
        item.request = ctx.request or (folded.startswith("de nghi") and not all(_OWN_UNITS.search(n) for n in named))
        item.lead = [n for n in named if n]
        item.support = [s for s in supports if s not in item.lead]
        items.append(item)
