"""Split a unit cell into unit names, and build the keys names are matched on.

A cell lists units separated by ";", new lines, "(1) ... (2) ..." markers, and by commas or "và"
when the next words start a unit name ("Sở Tài chính, Công an tỉnh"). Commas inside a group name
("Các sở, ban, ngành") or a unit name ("Sở Văn hóa, Thể thao và Du lịch") never split: such
names are protected first.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable

from bot.base.text import fold, normalize_name

# One office with "và" in its name, common at district and commune level: never split.
COMPOUND_UNITS = (
    "Văn phòng HĐND và UBND",
    "Văn phòng Hội đồng nhân dân và Ủy ban nhân dân",
    "Văn phòng Đoàn ĐBQH và HĐND",
    "Văn phòng Đoàn đại biểu Quốc hội và Hội đồng nhân dân",
)

BUILTIN_GROUPS = (
    "Các sở, ban, ngành, đoàn thể",
    "Các sở, ban, ngành",
    "Sở, ban, ngành",
    "Các phòng, đơn vị thuộc",
    "Các phòng, đơn vị trực thuộc",
    "Các phòng, đơn vị",
    "Các phòng, ban",
    "Các cơ quan, đơn vị",
    "Các cơ quan, tổ chức",
    "Các tổ chức, cá nhân",
    "Các viện, trường",
    "Các trường đại học, cao đẳng",
    "UBND cấp xã",
    "UBND các xã, phường",
    "Các xã, phường",
)
_MARKER = re.compile(r"\(\s*\d{1,2}\s*\)")
_SEPARATORS = re.compile(r"[;\n]+")
# Two names written one after the other: "Sở Nội vụSở Tài chính" (a lost line break), "1. Sở A 2. Sở B".
_GLUED = re.compile(
    r"(?<=[a-zà-ỹđ)])(?=(?:Sở|UBND|Ủy ban|Uỷ ban|Ban|Bộ|Cục|Tổng cục|Công an|Văn phòng|Trường|Phòng)\b)")
_NUMBERED_IN_CELL = re.compile(r"(?:^|(?<=\s))\d{1,2}[.)]\s+(?=[A-ZĐÂĂÊÔƠƯỦ])")
_UNIT_WORDS = (
    r"sở|ubnd|ủy ban|uỷ ban|công an|phòng|trung tâm|trường|ban|văn phòng|các|ngân hàng|hiệp hội|báo|đài|"
    r"liên hiệp|thanh tra|bhxh|bảo hiểm|viện|hội|doanh nghiệp|tổ chức|thống kê|kho bạc|cục|chi cục|bộ|"
    r"đơn vị|cơ quan|hợp tác xã|htx|mặt trận|ủy ban mặt trận|đoàn|tỉnh đoàn|quân sự|bộ chỉ huy|vnpt|viettel"
)
_SOFT_SPLIT = re.compile(rf"\s*(?:,|\bvà\b)\s+(?=(?:{_UNIT_WORDS})\b|\x00)", re.IGNORECASE)
_PARENS = re.compile(r"\s*\([^()]*\)")
_TRAILING = re.compile(r"[\s,;.:\-–]+$")
_LEADING = re.compile(r"^[\s,;.:\-–+*•]+|^(và|với)\s+", re.IGNORECASE)
_VAGUE = re.compile(
    r"^(cac |moi |nhung )?(don vi|co quan|co quan, don vi|to chuc|to chuc, ca nhan|doanh nghiep|dia phuong|"
    r"nganh|ca nhan|dia phuong, don vi)( co)? lien quan$|lien quan$|^cac don vi$|^cac co quan$"
)
_ABBREVIATIONS = (
    (r"\bkh ?& ?cn\b|\bkh ?va ?cn\b|\bkhcn\b|\bkh-cn\b", "khoa hoc va cong nghe"),
    (r"\bvh ?- ?xh\b|\bvhxh\b|\bvh-tt\b", "van hoa - xa hoi"),
    (r"\btchcqt\b", "to chuc - hanh chinh - quan tri"),
    (r"\bvhtt ?& ?dl\b|\bvhttdl\b", "van hoa - the thao va du lich"),
    (r"\bubnd\b", "uy ban nhan dan"),
    (r"\bhdnd\b", "hoi dong nhan dan"),
    (r"\bnn ?& ?mt\b|\bnnmt\b", "nong nghiep va moi truong"),
    (r"\bgd ?& ?dt\b|\bgddt\b", "giao duc va dao tao"),
    (r"\bcntt\b", "cong nghe thong tin"),
    (r"\bttdt\b", "thong tin dien tu"),
    (r"\bptth\b", "phat thanh truyen hinh"),
    (r"\bbhxh\b", "bao hiem xa hoi"),
    (r"\bmttq(vn)?\b", "mat tran to quoc"),
    (r"\bvp\b", "van phong"),
)
_COMPILED = tuple((re.compile(p), r) for p, r in _ABBREVIATIONS)
_SUFFIXES = re.compile(
    r"\s+(truc thuoc|thuoc|co lien quan|lien quan|duoc phan cong|tren dia ban( tinh| xa| thanh pho)?|cua tinh|tinh"
    r"|thanh pho|xa)$"
)


@functools.lru_cache(maxsize=8192)
def name_key(name: str) -> str:
    """The matching key: folded, punctuation unified, abbreviations spelled out (TCHCQT, KH&CN, UBND...)."""
    key = normalize_name(name.replace("–", "-"))
    key = key.replace(" - ", "-").replace("-", " - ")
    for pattern, replacement in _COMPILED:
        key = pattern.sub(replacement, key)
    key = re.sub(r"\s*-\s*", " ", key)
    key = key.replace("&", " va ")
    return " ".join(key.split())


def loose_keys(name: str) -> list[str]:
    return list(_loose_keys(name))


@functools.lru_cache(maxsize=8192)
def _loose_keys(name: str) -> tuple[str, ...]:
    """Keys to try in order: exact, without remarks in brackets, without "thuộc"/"trên địa bàn" tails and "các"."""
    keys: list[str] = []
    base = name_key(_PARENS.sub("", name)) or name_key(name)
    for candidate in (name_key(name), base):
        if candidate and candidate not in keys:
            keys.append(candidate)
    stripped = base
    while True:
        shorter = _SUFFIXES.sub("", stripped)
        if shorter == stripped or not shorter:
            break
        stripped = shorter
        keys.append(stripped)
    for key in list(keys):
        if key.startswith("cac "):
            keys.append(key[4:])
    keys += [canonical for key in keys for pattern, canonical in _COLLECTIVES if pattern.match(key)]
    return tuple(dict.fromkeys(keys))


# The two collectives every province writes in several ways: all communes ("UBND cấp xã", "Ủy ban nhân dân các
# xã, phường", "UBND xã, phường, đặc khu", "UBND các xã/phường") and all departments ("Các sở, ban, ngành",
# "các sở, ngành", "Sở, ban, ngành"). Each spelling also gets one shared key, so the group registered under
# one of them (`units add-communes`, `units starter`) is the group of the others.
_COLLECTIVES = (
    (re.compile(r"^uy ban nhan dan (?:(?:cac|cap) (?:xa|phuong)|(?:cac )?(?:xa|phuong)(?: ?/ ?| )(?:xa|phuong))"
                r"(?: dac khu)?$"),
     "uy ban nhan dan cap xa"),
    (re.compile(r"^(?:cac )?so(?: ban)? nganh$"), "cac so ban nganh"),
)


def is_group_like(name: str) -> bool:
    """ "Các phòng, đơn vị thuộc", "UBND cấp xã", "trường đại học, cao đẳng": a kind of unit rather than one
    unit (a comma followed by a lower-case word lists kinds; "Sở Văn hóa, Thể thao" goes on with a name)."""
    key = normalize_name(name)
    return (key.startswith("cac ") or "cap xa" in key or bool(_KINDS_LISTED.search(name))
            or any(normalize_name(g) == key for g in BUILTIN_GROUPS))


_KINDS_LISTED = re.compile(r",\s*[a-zà-ỹđ]")


def is_vague(name: str) -> bool:
    """ "Các đơn vị có liên quan" and the like: no one in particular, so nobody to nudge."""
    key = normalize_name(_PARENS.sub("", name))
    return bool(_VAGUE.search(key) or _PUBLIC.search(key) or _ROLE_DESCRIPTION.search(key))


# Who a plan addresses but who does not report to the coordinator: businesses, cooperatives, people, "the
# units that propose ..." (a description of a role, not an organization's name).
_PUBLIC = re.compile(
    r"^(cac |moi |nhung )?(doanh nghiep|htx|hop tac xa|nguoi dan|nhan dan|ca nhan|ho gia dinh|cong dong|nha dau tu|"
    r"to chuc ca nhan|to chuc va ca nhan|co so san xuat|nha khoa hoc)\b"
    r"|^(htx|doanh nghiep|to chuc) ca nhan|\bca nhan tren dia ban\b"
)
_ROLE_DESCRIPTION = re.compile(r"^(cac )?(don vi|co quan|to chuc) (de xuat|duoc giao|chu tri cac|cung cap|thuc hien)\b")
# A unit name starts with the word for its kind of organization ("Sở Y tế", "UBND xã Mường Bú", "Trường ...").
_ORGANIZATION_START = re.compile(
    r"^(so|ubnd|uy ban|cong an|phong|trung tam|truong|ban|van phong|ngan hang|hiep hoi|bao|dai|lien hiep|"
    r"lien doan|thanh tra|bhxh|bao hiem|vien|benh vien|hoi|thong ke|kho bac|cuc|chi cuc|tong cuc|bo|"
    r"bo chi huy|mat tran|uy ban mat tran|tinh doan|doan|dang uy|thue|hai quan|quy|cong ty|tong cong ty|"
    r"vnpt|viettel|buu dien|hdnd|hoi dong|tinh uy|huyen uy|thi uy|dang bo|chi nhanh|vp)\b"
)


def is_plausible_unit(name: str) -> bool:
    """Whether a name the directory does not know may be registered as a unit (`--create-units`): it starts
    like an organization's name, names no group or vague crowd, and is not a sentence."""
    key = normalize_name(_PARENS.sub("", name))
    words = key.split()
    return (bool(key) and not is_vague(name) and not is_group_like(name) and len(words) <= 16
            and bool(_ORGANIZATION_START.match(key)))


def split_units(cell: str, protected: Iterable[str] = ()) -> list[str]:
    """Unit names from a cell, in order, without duplicates."""
    if not cell.strip():
        return []
    return list(_split(cell, _phrases(tuple(protected))))


@functools.lru_cache(maxsize=64)
def _phrases(protected: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
    """Names that must not be split (they hold a comma or "và"), longest first, with their folded form."""
    names = {p for p in (*BUILTIN_GROUPS, *COMPOUND_UNITS, *protected) if "," in p or " và " in p}
    return tuple((name, fold(name)) for name in sorted(names, key=len, reverse=True))


# "Các Cục: Di sản văn hóa, Bản quyền tác giả": the kind of body written once for all the names after it
_DISTRIBUTED = re.compile(r"^[Cc]ác\s+(Cục|Sở|Vụ|Phòng|Ban|Trường|Trung tâm|Chi cục|Tổng cục|Viện)\s*:\s*")


def _distribute(cell: str) -> str:
    """"Các Cục: A; B. Vụ C" -> "Cục A\nCục B\nVụ C" (split on ";" when there is one, else on ",")."""
    found = _DISTRIBUTED.match(cell.strip())
    if found is None:
        return cell
    rest = cell.strip()[found.end():]
    head, *tail = re.split(r"\.\s+(?=[A-ZĐÂĂÊÔƠƯỦ])", rest, maxsplit=1)
    parts = [p.strip() for p in (head.split(";") if ";" in head else head.split(","))]
    return "\n".join([*(f"{found.group(1)} {p}" for p in parts if p), *tail])


@functools.lru_cache(maxsize=4096)
def _split(cell: str, phrases: tuple[tuple[str, str], ...]) -> tuple[str, ...]:
    cell = _distribute(cell)
    text = _MARKER.sub("\n", _NUMBERED_IN_CELL.sub("\n", _GLUED.sub("\n", cell)))
    names: list[str] = []
    for part in _SEPARATORS.split(text):
        part = _LEADING.sub("", _TRAILING.sub("", part.strip()))
        if not part:
            continue
        shielded, saved = _shield(part, phrases) if ("," in part or " và " in part) else (part, [])
        for piece in _SOFT_SPLIT.split(shielded):
            piece = _PARENS.sub("", _unshield(piece, saved))
            piece = _LEADING.sub("", _TRAILING.sub("", piece.strip()))
            if piece and piece not in names:
                names.append(piece)
    return tuple(names)


def _shield(text: str, phrases: tuple[tuple[str, str], ...]) -> tuple[str, list[str]]:
    """Replace protected names (those with commas or "và") by placeholders so they are never split."""
    saved: list[str] = []
    folded = fold(text)
    if len(folded) != len(text):  # folding changed the length: positions would not line up
        return text, saved
    for _, target in phrases:
        start = folded.find(target)
        while start != -1:
            end = start + len(target)
            saved.append(text[start:end])
            token = f"\x00{len(saved) - 1}\x00"
            token = token.ljust(end - start, "\x01")  # keep positions aligned with `folded`
            text = text[:start] + token + text[end:]
            folded = folded[:start] + token + folded[end:]
            start = folded.find(target, start + len(token))
    return text, saved


def _unshield(text: str, saved: list[str]) -> str:
    return re.sub(r"\x00(\d+)\x00\x01*", lambda m: saved[int(m.group(1))], text)
