"""Property tests: any text gives a well-formed Timeframe, quickly (no catastrophic backtracking)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.readers.timeframe import Recurrence, parse_timeframe
from tests.readers.hang import HANG_GUARD

# The parser's own vocabulary, so that generated text exercises its paths, not only its fallbacks.
WORDS = [
    "Quý", "quy", "I", "II", "III", "IV", "1", "2", "6", "12", "31", "2026", "2030", "/", "-", ",", ":", "(", ")",
    "tháng", "thang", "năm", "nam", "Năm 2026", "hàng", "hằng", "định kỳ", "thường xuyên", "đã hoàn thành",
    "đột xuất", "khi có yêu cầu", "giai đoạn", "từ", "đến", "và", "đợt", "trước", "ngày", "tuần", "đầu", "cuối",
    "Theo kế hoạch", "nhiệm vụ 2025 chuyển tiếp", "30/11/2026", "31/3", "Q2", "T6", "quỹ", "\n", "  ", "đ", "ư",
]
vocabulary_text = st.lists(st.sampled_from(WORDS), max_size=300).map(" ".join)
any_text = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=3000)
vietnamese_text = st.text(alphabet="aăâbcdđeêghiklmnoôơpqrstuưvxyàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợ"
                                   "ùúủũụừứửữựỳýỷỹỵ0123456789 /-,.()\n", max_size=3000)


def _well_formed(text: str | None, plan_year: int) -> None:
    timeframe = parse_timeframe(text, plan_year)
    assert timeframe.recurrence in set(Recurrence)
    assert list(timeframe.deadlines) == sorted(set(timeframe.deadlines))
    assert (timeframe.reason is not None) == (timeframe.recurrence == Recurrence.UNSPECIFIED)
    if timeframe.recurrence == Recurrence.UNSPECIFIED:
        assert timeframe.deadlines == ()
    assert set(timeframe.to_json()) == {"deadlines", "recurrence", "completed", "ad_hoc", "reason"}


@settings(deadline=HANG_GUARD, max_examples=300)
@given(vocabulary_text, st.integers(min_value=1990, max_value=2100))
def test_vocabulary_soup_never_raises(text: str, plan_year: int) -> None:
    _well_formed(text, plan_year)


@settings(deadline=HANG_GUARD, max_examples=200)
@given(any_text)
def test_arbitrary_unicode_never_raises(text: str) -> None:
    _well_formed(text, 2026)


@settings(deadline=HANG_GUARD, max_examples=200)
@given(vietnamese_text)
def test_vietnamese_letters_never_raise(text: str) -> None:
    _well_formed(text, 2026)


@settings(deadline=HANG_GUARD, max_examples=50)
@given(st.sampled_from(WORDS), st.integers(min_value=100, max_value=5000))
def test_long_repetitions_never_hang(word: str, count: int) -> None:
    _well_formed((word + " ") * count, 2026)
