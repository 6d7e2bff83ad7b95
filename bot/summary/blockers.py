"""What a blocker is about, from the words staff use (with or without diacritics)."""

from __future__ import annotations

import re

from bot.base.text import fold

OTHER = "khac"

# (key, label, folded keywords); the first category with a matching keyword wins, in this order.
CATEGORIES: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("kinh_phi", "Kinh phí", (
        "kinh phi", "ngan sach", "nguon von", "von", "tai chinh", "du toan", "chi phi", "giai ngan", "thieu tien",
        "cap phat", "thanh toan",
    )),
    ("huong_dan", "Hướng dẫn", (
        "huong dan", "chi dao", "chua ro cach", "chua thong nhat cach", "tap huan",
    )),
    ("nhan_luc", "Nhân lực", (
        "nhan luc", "nhan su", "can bo", "thieu nguoi", "bien che", "cong chuc", "vien chuc", "chuyen trach",
        "nghi phep", "nghi om", "om dau",
    )),
    ("thu_tuc", "Thủ tục/văn bản", (
        "thu tuc", "van ban", "phe duyet", "quyet dinh", "ho so", "giay to", "phap ly", "quy dinh", "tham dinh",
        "ke hoach", "to trinh", "cho ky", "chua duoc duyet",
    )),
    ("phoi_hop", "Phối hợp", (
        "phoi hop", "lien nganh", "don vi khac", "chua nhan duoc", "cho y kien", "cho so", "cho phong", "cho xa",
        "tham gia y kien",
    )),
    ("thiet_bi", "Thiết bị/hạ tầng", (
        "thiet bi", "ha tang", "may tinh", "may moc", "duong truyen", "mang internet", "internet", "ket noi mang",
        "phan mem", "co so vat chat", "tru so", "mat bang", "server", "may chu",
    )),
    (OTHER, "Khác", ()),
)

LABELS: dict[str, str] = {key: label for key, label, _ in CATEGORIES}
ORDER: tuple[str, ...] = tuple(key for key, _, _ in CATEGORIES)

_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (key, re.compile(r"\b(?:" + "|".join(re.escape(w) for w in words) + r")\b"))
    for key, _, words in CATEGORIES if words
)


def categorize(text: str | None) -> str:
    """The category key of a blocker text ("khac" when nothing matches or the text is empty)."""
    if not text:
        return OTHER
    folded = fold(text)
    for key, pattern in _PATTERNS:
        if pattern.search(folded):
            return key
    return OTHER
