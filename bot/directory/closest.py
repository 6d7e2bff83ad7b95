"""Closest registered names for a name nobody registered: overlap of the words that tell units apart.

Raw edit distance over whole names is misleading here: "Phòng Văn hóa - Xã hội" and "Phòng Tổ chức - Hành
chính - Quản trị" share "Phòng" and a dash and little else, yet a fuzzy scorer rates them close. So names are
compared word by word (syllables of the matching key, abbreviations spelled out), each word weighted by how
rare it is among the registered names (idf), and words that every unit has ("phòng", "sở", "ủy ban nhân dân",
"tỉnh", "xã") weigh almost nothing. A candidate is offered only when the weighted overlap is high (a Dice
score of at least `CUTOFF`), and no suggestion is better than a wrong one. An abbreviation nobody spelled out
("Sở TTTT") is matched on the initials of a candidate's telling words.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from rapidfuzz.distance import OSA

from bot.directory.unitnames import name_key

CUTOFF = 0.6
GENERIC_WEIGHT = 0.1
# Phrases that name a kind of office, not which one (matched on the key, so after "UBND" is spelled out).
_GENERIC_PHRASES = (
    "uy ban nhan dan", "hoi dong nhan dan", "co quan", "don vi", "thanh pho", "thi xa", "thi tran", "trung tam",
    "van phong", "chi cuc", "tong cuc", "truc thuoc", "tren dia ban", "cap xa", "cap tinh",
)
_GENERIC_WORDS = frozenset((
    "phong", "so", "ban", "cuc", "bo", "tinh", "huyen", "quan", "xa", "phuong", "dac", "khu", "cac", "va", "cua",
    "thuoc", "lien", "co", "truong",
))
# Words that hold a generic word but are not generic themselves: "xã hội" is not "xã".
_COMPOUNDS = (("xa hoi", "xa_hoi"), ("truong hoc", "truong_hoc"), ("quan tri", "quan_tri"), ("quan ly", "quan_ly"),
              ("quan su", "quan_su"), ("co so", "co_so"), ("so huu", "so_huu"),
              ("cong an", "cong_an"))  # "Công an" is a kind of office, not the place name "An" of "xã An Long"
# The head word says what kind of office a name is: "Sở Văn hóa" is not "Phòng Văn hóa và Thông tin".
_KINDS = frozenset(("phong", "so", "ban", "cuc", "chi_cuc", "tong_cuc", "uy_ban_nhan_dan", "hoi_dong_nhan_dan",
                    "trung_tam", "van_phong", "truong", "bo", "cong_an", "hoi", "vien"))
KIND_MISMATCH = 0.55  # below CUTOFF even for a perfect rest: a different kind of office is never offered
CONTAINED = 0.65  # the score when every telling word of the shorter name is in the longer one
_ACRONYM = re.compile(r"^[A-ZĐ]{2,12}$")


def words(name: str) -> list[str]:
    """The words of a name's key, generic phrases as one word each: "UBND xã Mường Bú" -> [uy_ban_nhan_dan, xa, ...]."""
    key = f" {name_key(name)} "
    for phrase, joined in _COMPOUNDS:
        key = key.replace(f" {phrase} ", f" {joined} ")
    for phrase in _GENERIC_PHRASES:
        key = key.replace(f" {phrase} ", f" {phrase.replace(' ', '_')} ")
    return key.split()


def _generic(word: str) -> bool:
    return word in _GENERIC_WORDS or word.replace("_", " ") in _GENERIC_PHRASES


@dataclass
class NameIndex:
    """The registered names (display name per key), with word frequencies for the weights, and postings so a
    name is compared only with the names that share a telling word or its initials (not with all of them)."""

    names: dict[str, str] = field(default_factory=dict)  # key -> display name
    _words: dict[str, tuple[str, ...]] = field(default_factory=dict)  # in order, repeats kept (for initials)
    _df: Counter[str] = field(default_factory=Counter)
    _postings: dict[str, list[str]] = field(default_factory=dict)  # telling word -> keys
    _by_initials: dict[str, list[str]] = field(default_factory=dict)
    _weights: dict[str, float] = field(default_factory=dict)

    @classmethod
    def of(cls, names: Iterable[tuple[str, str]]) -> NameIndex:
        index = cls()
        for key, display in names:
            if key in index.names:
                continue
            index.names[key] = display
            found = tuple(words(key))
            index._words[key] = found
            index._df.update(set(found))
            for word in dict.fromkeys(found):
                if not _generic(word):
                    index._postings.setdefault(word, []).append(key)
            index._by_initials.setdefault(_initials(found), []).append(key)
        return index

    def weight(self, word: str) -> float:
        found = self._weights.get(word)
        if found is None:
            idf = math.log(1 + (len(self.names) + 1) / (self._df.get(word, 0) + 0.5))
            found = self._weights[word] = idf * (GENERIC_WEIGHT if _generic(word) else 1.0)
        return found

    def closest(self, written: str, limit: int = 3) -> tuple[str, ...]:
        """Up to `limit` display names, best first, each scoring at least `CUTOFF`; often none."""
        wanted = tuple(dict.fromkeys(words(written)))
        if not wanted or not any(not _generic(w) for w in wanted):
            return ()
        acronyms = _acronyms(written)
        candidates = {key for w in wanted for key in self._postings.get(w, ())}
        candidates.update(key for a in acronyms for key in self._by_initials.get(a, ()))
        scored: list[tuple[float, str]] = []
        for key in candidates:
            have = self._words[key]
            score = max(self._dice(wanted, have), _contained(wanted, have), _acronym(acronyms, wanted, have))
            if wanted[0] in _KINDS and wanted[0] not in have:  # "UBND các tỉnh ..." is no "Cơ quan trung ương ..."
                score *= KIND_MISMATCH
            if score >= CUTOFF:
                scored.append((score, key))
        scored.sort(key=lambda s: (-s[0], self.names[s[1]]))
        return tuple(dict.fromkeys(self.names[key] for _, key in scored))[:limit]

    def _dice(self, wanted: tuple[str, ...], have: tuple[str, ...]) -> float:
        have = tuple(dict.fromkeys(have))
        total = sum(self.weight(w) for w in wanted) + sum(self.weight(w) for w in have)
        shared = 0.0
        telling = False
        for word in wanted:
            if word in have:
                shared += self.weight(word)
                telling = telling or not _generic(word)
            elif len(word) >= 4 and not _generic(word):  # a typo in a long word: half the weight
                near = [h for h in have if len(h) >= 4 and OSA.distance(word, h) <= 1]
                if near:
                    shared += 0.5 * (self.weight(word) + self.weight(near[0])) / 2
        return 2 * shared / total if telling and total else 0.0


def _contained(wanted: tuple[str, ...], have: tuple[str, ...]) -> float:
    """ "Sở Nông nghiệp" in "Sở Nông nghiệp và Môi trường", "Phòng Kinh tế" in "Phòng Kinh tế hạ tầng"; not a
    registered name inside a long phrase ("đơn vị đề xuất nhiệm vụ KH&CN ..." is not Sở KH&CN)."""
    a = {w for w in wanted if not _generic(w)}
    b = {w for w in have if not _generic(w)}
    if len(b) >= 2 and b <= a and len(a) - len(b) <= 2:  # the written name adds a word or two
        return CONTAINED
    return CONTAINED if len(a) >= 2 and a <= b else 0.0  # the written name is a short form


def _acronyms(written: str) -> list[str]:
    """Capitalised abbreviations, alone and run together: "Phòng VH XH" -> ["vh", "xh", "vhxh"]."""
    found: list[str] = []
    run = ""
    for token in [*written.split(), ""]:
        token = re.sub(r"[-&.]", "", token)
        if _ACRONYM.match(token):
            found.append(token.replace("Đ", "D").lower())
            run += found[-1]
            continue
        if run and run not in found:
            found.append(run)
        run = ""
    return found


def _initials(have: tuple[str, ...]) -> str:
    """ "Sở Thông tin và Truyền thông" -> "tttt"; "Phòng Văn hóa - Xã hội" -> "vhxh"."""
    return "".join(part[0] for w in have if not _generic(w) for part in w.split("_"))


def _acronym(acronyms: list[str], wanted: tuple[str, ...], have: tuple[str, ...]) -> float:
    """ "Sở TTTT" and "Sở Thông tin và Truyền thông": the initials of the telling words, and the kind word."""
    if not acronyms:
        return 0.0
    initials = _initials(have)
    kinds_match = all(w in have for w in wanted if _generic(w) and w != "va")
    return 0.9 if kinds_match and len(initials) >= 2 and initials in acronyms else 0.0
