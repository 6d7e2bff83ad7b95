"""Property tests: any body text gives well-formed rules, quickly."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.calendar import Frequency, periods_for_year
from bot.readers.regime import parse_reporting_rules
from tests.readers.hang import HANG_GUARD

WORDS = [
    "báo cáo", "gửi", "về", "qua", "để tổng hợp", "là đầu mối", "chủ trì", "theo dõi", "định kỳ", "hàng quý",
    "hằng năm", "6 tháng", "hằng tháng", "trước ngày", "05", "15/6", "15/12", "của tháng cuối quý",
    "tháng đầu quý sau", "đột xuất", "khi có yêu cầu", "Phòng", "Sở", "Văn phòng", "UBND tỉnh", "(", ")", ";", ".",
    ",", ":", "Quý", "năm", "và", "\n", "\n\n", "- ", "1. ", "PHỤ LỤC", "\t", "quỹ", "quy định", "–",
]
soup = st.lists(st.sampled_from(WORDS), max_size=400).map(" ".join)
unicode_text = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=5000)


def _well_formed(text: str) -> None:
    rules = parse_reporting_rules(text)
    assert rules.regimes, "there is always at least one regime"
    frequencies = [r.frequency for r in rules.regimes]
    assert len(frequencies) == len(set(frequencies)) and Frequency.AD_HOC not in frequencies
    assert periods_for_year(2026, rules.regimes)  # every regime yields real periods and cutoffs
    assert rules.coordinator is None or 3 <= len(rules.coordinator) <= 120
    assert all(sentence in " ".join(text.split()) or sentence for sentence in rules.evidence)


@settings(deadline=HANG_GUARD, max_examples=300)
@given(soup)
def test_vocabulary_soup_never_raises(text: str) -> None:
    _well_formed(text)


@settings(deadline=HANG_GUARD, max_examples=150)
@given(unicode_text)
def test_arbitrary_unicode_never_raises(text: str) -> None:
    _well_formed(text)


@settings(deadline=HANG_GUARD, max_examples=20)
@given(st.sampled_from(WORDS), st.integers(min_value=1000, max_value=20000))
def test_long_repetitions_never_hang(word: str, count: int) -> None:
    _well_formed((word + " ") * count)
