"""Where one reply speaks of several tasks or parts: "NV1 xong, NV2 đang làm 50%", "đợt 1 xong, đợt 2 chưa".

A reply is split when it names two or more parts of the same kind: task codes (NV1, NV2), stages or batches
(giai đoạn, gđ, đợt, bước, phần), places or items (xã A, thôn 3, lớp may, tuyến 1, hạng mục sân). Each part runs
from its name to the next one; text before the first name ("Dạ em báo cáo:") belongs to none. "Nội dung 1 ...,
nội dung 2 ..." is left whole: the reader's own table reads it as one report (see tests/readers/status_cases.py).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_ID = r"(?:\d{1,3}|[a-z](?![a-z])(?<=[a-z])|mot|hai|ba|bon|nam|sau|bay|tam|chin|muoi|mười)"
_KINDS = (
    "nhiem vu", "nv", "giai doan", "gd", "dot", "buoc", "phan", "tuyen", "lop", "tram", "thon", "ap", "xa", "phuong",
    "hang muc", "cho", "khu", "to", "goi thau", "cong trinh", "truong", "diem",
)
_KIND = "(?:" + "|".join(sorted(_KINDS, key=len, reverse=True)) + ")"
# A part's name: a kind and an identifier ("NV1", "đợt 2", "xã A"), anywhere; or a kind and a word at a clause
# start ("lớp may xong, lớp hàn đang học").
_NAMED = re.compile(rf"(?<![a-z0-9])({_KIND})\s*({_ID})(?![a-z0-9/])")
_WORDED = re.compile(rf"(?:^|(?<=[,;.]\s)|(?<=[,;.]))\s*({_KIND})\s+([a-z]+)\b")
_CODE_KINDS = frozenset({"nv", "nhiem vu"})


_ALIASES = {"nhiem vu": "nv", "gd": "giai doan"}
_CLAUSE_END = re.compile(r"[,;.!?\n](?!\d)|\s+(?:con|va|nhung|thi|con lai)\s+(?=[a-z])")


@dataclass(frozen=True)
class PartText:
    ref: str  # as written: "NV1", "đợt 2", "lớp hàn"
    text: str  # the part's words, its name blanked out
    task_code: bool  # the part is a task of the plan (NV1), not a stage of this one


def _clauses(folded: str) -> list[tuple[int, int]]:
    spans, last = [], 0
    for m in _CLAUSE_END.finditer(folded):
        spans.append((last, m.start()))
        last = m.end()
    spans.append((last, len(folded)))
    return [(a, b) for a, b in spans if folded[a:b].strip()]


def split_parts(original: str, folded: str) -> list[PartText]:
    """The parts of a reply about several tasks or parts, in order; [] when it speaks of one thing. A part is
    the clauses from the one naming it up to the next named one ("đợt 1 xong, đợt 2 chưa, để tháng 9")."""
    names = [(m.start(), m.end(), _ALIASES.get(m.group(1), m.group(1))) for m in _NAMED.finditer(folded)
             if len(m.group(2)) > 1 or m.group(2).isdigit() or original[m.start(2)].isupper()]  # "xã A", not "cho ý"
    if len({(k, folded[s:e]) for s, e, k in names}) < 2:
        names += [(m.start(1), m.end(), _ALIASES.get(m.group(1), m.group(1))) for m in _WORDED.finditer(folded)]
    names = [n for n in names if n[2] != "cho" or original[n[0]:n[0] + 3].lower() == "chợ"]  # not "chờ", "cho"
    by_kind: dict[str, set[str]] = {}
    for start, end, kind in names:
        by_kind.setdefault(kind, set()).add(re.sub(r"\s+", "", folded[start:end]).removeprefix("nhiemvu"))
    kinds = [k for k, ids in by_kind.items() if len(ids) >= 2]
    if not kinds:
        return []
    kind = "nv" if "nv" in kinds else kinds[0]
    chosen = sorted({(s, e) for s, e, k in names if k == kind})
    groups: list[tuple[list[tuple[int, int]], list[tuple[int, int]]]] = []  # (names, clauses)
    for clause in _clauses(folded):
        inside = [n for n in chosen if clause[0] <= n[0] < clause[1]]
        if inside:
            groups.append((inside, [clause]))
        elif groups:
            groups[-1][1].append(clause)
    parts = []
    for inside, clauses in groups:
        words = " ".join(original[a:b] for a, b in clauses)
        for s, e in inside:  # blank the names, keep the rest
            words = words.replace(original[s:e], " ", 1)
        ref = ", ".join(original[s:e] for s, e in inside)
        parts.append(PartText(ref, words.strip(" ,;."), kind == "nv"))
    merged: list[PartText] = []
    for part in reversed(parts):  # "NV2 và NV3 xong": a name with no words of its own shares the next one's
        if not part.text and merged:
            merged[-1] = PartText(f"{part.ref}, {merged[-1].ref}", merged[-1].text, merged[-1].task_code)
        else:
            merged.append(part)
    merged.reverse()
    return merged if len(merged) >= 2 or (merged and "," in merged[0].ref) else []
