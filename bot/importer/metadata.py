"""Plan metadata from the body text: number ("125/KH-UBND"), title, issuer and year."""

from __future__ import annotations

import re
from collections import Counter

from bot.base.text import fold

_NUMBER = re.compile(r"\bSố(?:\s+hiệu)?\s*:?\s*([0-9]*\s*/\s*[A-ZĐ0-9][A-ZĐ0-9\-–]*)", re.IGNORECASE)
_KE_HOACH = re.compile(r"^\s*kế hoạch\s*$", re.IGNORECASE)
_TITLE_STOP = re.compile(r"^(?:(?:căn cứ|thực hiện|theo|để|nhằm|phần|chương)\b|[IVX]+\.\s|\d+\.\s|\()", re.IGNORECASE)
_ATTACHED = re.compile(r"kèm theo kế hoạch[^)]*?\bcủa\s+([^)]+?)\s*\)", re.IGNORECASE)
_ISSUES = re.compile(
    r"((?:Văn phòng|UBND|Ủy ban nhân dân|Uỷ ban nhân dân|Sở|Ban|Phòng)[^.;,:\d]{0,60}?)\s+ban hành\s+kế hoạch",
    re.IGNORECASE,
)
# The information box of a legal-documents site ("Nơi ban hành: | Bộ Văn hoá, Thể thao và Du lịch")
_ISSUER_LABEL = re.compile(
    r"\b(?:Nơi|Cơ quan) ban hành\s*:\s*(?P<issuer>[^\n:]{3,80}?)\s*(?=$|\n|\b(?:Người ký|Ngày|Số hiệu|Loại)\b)",
    re.IGNORECASE | re.MULTILINE,
)
_YEAR = re.compile(r"(?<!\d)(20\d{2})(?!\d)")
_NAM = re.compile(r"(?<!đến )(?<!ĐẾN )\bnăm\s+(20\d{2})\b", re.IGNORECASE)  # "đến năm 2030": a horizon
_ISSUER_BY_SUFFIX = {"KH-VPUB": "Văn phòng UBND tỉnh", "KH-UBND": "UBND"}
_MAX_TITLE = 1000


def plan_number(lines: list[str]) -> str | None:
    """"125/KH-UBND"; None while the number is blank (a draft: "Số:   /KH-UBND")."""
    for line in lines[:40]:
        match = _NUMBER.search(line)
        if match:
            number = re.sub(r"\s+", "", match.group(1)).replace("–", "-")
            return number if number[0].isdigit() else None
    return None


def number_suffix(lines: list[str]) -> str | None:
    for line in lines[:40]:
        match = _NUMBER.search(line)
        if match:
            return re.sub(r"\s+", "", match.group(1)).lstrip("0123456789").lstrip("/").upper() or None
    return None


def plan_title(lines: list[str]) -> str | None:
    """The lines after "KẾ HOẠCH" up to a blank line, a note in brackets, "Căn cứ", "Thực hiện" or "I."."""
    for index, line in enumerate(lines[:60]):
        if _KE_HOACH.match(line):
            parts: list[str] = []
            for following in lines[index + 1:index + 8]:
                text = following.strip()
                if not text:
                    if parts:  # a blank line after the title ends it
                        break
                    continue
                if parts and _TITLE_STOP.match(text):
                    break
                parts.append(text)
                if len(parts) >= 4 or text.endswith((".", ";", ":")):
                    break
            title = " ".join(parts).strip()
            return title[:_MAX_TITLE] or None
    return _one_line_title(lines)


# A heading on one line: "KẾ HOẠCH Số 77/KH-UBND ngày 10/01/2026 của UBND huyện Tân Phú về chuyển đổi số năm 2026"
_ONE_LINE = re.compile(r"^\s*kế hoạch\b.*?\s(?:về|v/v)\s+(?P<title>\S.*?)\s*$", re.IGNORECASE)
_ONE_LINE_ISSUER = re.compile(
    r"^\s*kế hoạch\b.*?\bcủa\s+(?P<issuer>(?:Văn phòng|UBND|Ủy ban nhân dân|Uỷ ban nhân dân|Sở|Ban|Phòng)"
    r"[^,;:]{0,80}?)\s+(?:về|v/v)\s", re.IGNORECASE,
)


def _one_line_title(lines: list[str]) -> str | None:
    for line in lines[:10]:
        match = _ONE_LINE.match(line)
        if match:
            title = match.group("title").rstrip(" .;,")
            return (title[:1].upper() + title[1:])[:_MAX_TITLE] or None
    return None


# The letterhead, top left ("ỦY BAN NHÂN DÂN" over "TỈNH LAI CHÂU", "THỦ TƯỚNG CHÍNH PHỦ", "BỘ TÀI CHÍNH"),
# on one line or two, often on the line of "CỘNG HÒA XÃ HỘI ..." when a table cell was flattened.
_UPPER = r"[A-ZÀ-ỸĐ][A-ZÀ-ỸĐ]*"
_LETTERHEAD_END = r"(?=\s*(?:$|-{2,}|\t|\||CỘNG\b|Độc lập\b|Số\s*:))"
_LETTERHEAD_PEOPLE = re.compile(r"^\W*(?:ỦY|UỶ) BAN NHÂN DÂN(?:\s+(?P<rest>\S.*))?$")
_LETTERHEAD_PLACE = re.compile(
    rf"^\W*(?P<level>TỈNH|THÀNH PHỐ|HUYỆN|QUẬN|THỊ XÃ|XÃ|PHƯỜNG|THỊ TRẤN|ĐẶC KHU)\s+"
    rf"(?P<name>{_UPPER}(?:[ -]{_UPPER}){{0,5}}){_LETTERHEAD_END}"
)
_LETTERHEAD_BODY = re.compile(
    rf"^\W*(?P<body>THỦ TƯỚNG CHÍNH PHỦ|CHÍNH PHỦ|(?:BỘ|SỞ)\s+{_UPPER}(?:,?\s+{_UPPER}){{0,7}}){_LETTERHEAD_END}"
)
# What the body text often says instead: the kind of issuer without its name
_GENERIC_ISSUER = re.compile(
    r"^(?:UBND|Ủy ban nhân dân|Uỷ ban nhân dân)(?:\s+(?:tỉnh|thành phố|huyện|quận|thị xã|xã|phường))?$", re.IGNORECASE
)


def _office_case(upper: str) -> str:
    """"BỘ VĂN HÓA, THỂ THAO VÀ DU LỊCH" -> "Bộ Văn hóa, Thể thao và Du lịch": each part after a comma or "và"."""
    words = upper.lower().split()
    out: list[str] = []
    capital = True
    for word in words:
        out.append(word[:1].upper() + word[1:] if capital and word != "và" else word)
        capital = word.endswith(",") or word == "và" or len(out) == 1
    return " ".join(out)


def letterhead_issuer(lines: list[str]) -> str | None:
    """The issuer printed at the top left: "UBND tỉnh Lai Châu", "Thủ tướng Chính phủ", "Bộ Tài chính"."""
    head = [line.strip() for line in lines[:15] if line.strip()]
    for index, line in enumerate(head):
        people = _LETTERHEAD_PEOPLE.match(line)
        if people:
            following = head[index + 1] if index + 1 < len(head) else ""
            place = _LETTERHEAD_PLACE.match(people.group("rest") or "") or _LETTERHEAD_PLACE.match(following)
            if place:
                level = place.group("level").lower()
                name = " ".join(word.capitalize() for word in place.group("name").split())
                return f"UBND {level} {name}"
            continue
        body = _LETTERHEAD_BODY.match(line)
        if body:
            found = " ".join(body.group("body").split())
            if found in ("THỦ TƯỚNG CHÍNH PHỦ", "CHÍNH PHỦ"):
                return found.capitalize().replace("chính phủ", "Chính phủ")
            return _office_case(found)
    return None


def plan_issuer(lines: list[str], text: str) -> str | None:
    """The issuer named in the text; the letterhead when the text names none or only its kind ("UBND")."""
    found = _issuer_in_text(lines, text)
    if found is None or _GENERIC_ISSUER.match(found):
        return letterhead_issuer(lines) or found
    return found


def _issuer_in_text(lines: list[str], text: str) -> str | None:
    for line in lines[:40]:
        match = _ISSUER_LABEL.search(line)
        if match:
            return " ".join(match.group("issuer").split())
    match = _ATTACHED.search(text)
    if match:
        return " ".join(match.group(1).split())
    match = _ISSUES.search(text)
    if match:
        return " ".join(match.group(1).split())
    for line in lines[:10]:
        match = _ONE_LINE_ISSUER.match(line)
        if match:
            return " ".join(match.group("issuer").split())
    suffix = number_suffix(lines)
    return _ISSUER_BY_SUFFIX.get(suffix or "")


def plan_year(lines: list[str], title: str | None, text: str) -> int | None:
    """The year in the title, else in the date line, else in the appendix note, else the most frequent."""
    if title:
        years = _NAM.findall(title)
        if years:
            return int(years[-1])
    for index, line in enumerate(lines[:40]):
        if "ngày" in line.lower() and "tháng" not in line.lower() and index + 1 < len(lines):
            line = f"{line} {lines[index + 1]}"  # the date line wrapped: "Quảng Trị, ngày" / "25 tháng 11 năm 2025"
        if "ngày" in line.lower() and "tháng" in line.lower():
            years = _YEAR.findall(line)
            if years:
                return int(years[-1])
    match = _ATTACHED.search(text)
    if match:
        years = _YEAR.findall(text[max(0, match.start() - 100):match.end()])
        if years:
            return int(years[-1])
    counts = Counter(int(y) for y in _YEAR.findall(text))
    if counts:
        return counts.most_common(1)[0][0]
    return None


def is_plan(text: str) -> bool:
    return "ke hoach" in fold(text[:5000])
