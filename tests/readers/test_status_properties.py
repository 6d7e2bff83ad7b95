"""Property tests: any text gives a well-formed reading, quickly (no catastrophic backtracking)."""

from __future__ import annotations

import json
import re
from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.readers.status import STATUSES, read_reply
from tests.readers.hang import HANG_GUARD

# The reader's own vocabulary, so generated replies walk its paths and not only its fallbacks.
WORDS = [
    "đã", "da", "dạ", "đang", "dang", "chưa", "chua", "không", "ko", "k", "được", "dc", "hoàn thành", "xong", "ht",
    "HT", "dtk", "đtt", "cth", "triển khai", "thực hiện", "làm", "vướng", "vướng:", "khó khăn", "thiếu", "kinh phí",
    "chưa có", "do", "vì", "nên", "chậm", "nhưng", "dự kiến", "trước", "tuần sau", "cuối tháng", "mai", "Mai",
    "3 ngày nữa", "tháng 7", "quý III", "thứ 6", "20/6", "30/6/2026", "2/3", "5/7", "0%", "50%", "100%", "120%",
    "5000%", "60-70%", "62,5%", "123/BC-UBND", "văn bản số", "3 tin bài", "1.200 lượt", "2,5 tỷ đồng", "ok", "ạ",
    "nhé", "?", ",", ".", ";", ":", "\n", "  ", "em báo cáo", "chờ phê duyệt", "dự thảo", "sẽ", "giai đoạn",
    "không có khó khăn", "xong chưa", "đạt", "-", "9" * 30,
]
vocabulary_text = st.lists(st.sampled_from(WORDS), max_size=200).map(" ".join)
any_text = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=3000)
days = st.dates(min_value=date(2000, 1, 1), max_value=date(2099, 12, 31))


def _well_formed(text: str, today: date) -> None:
    reading = read_reply(text, today=today)
    assert reading.status in STATUSES
    assert reading.percent is None or 0 <= reading.percent <= 100
    assert (reading.reason is not None) == (reading.status == "unknown")
    if reading.expected_date is not None and not re.search(r"\d{4}", text):  # a written year may be anything
        assert abs(reading.expected_date - today) < timedelta(days=3 * 366)
    line = reading.describe_vi()
    assert line and "\n" not in line
    json.dumps(reading.to_json(), ensure_ascii=False)


@settings(max_examples=300, deadline=HANG_GUARD)
@given(vocabulary_text, days)
def test_vocabulary_soup_is_read_without_error(text: str, today: date) -> None:
    _well_formed(text, today)


@settings(max_examples=200, deadline=HANG_GUARD)
@given(any_text, days)
def test_any_text_is_read_without_error(text: str, today: date) -> None:
    _well_formed(text, today)


@settings(max_examples=100, deadline=HANG_GUARD)
@given(st.integers(min_value=0, max_value=100_000), days)
def test_every_percent_is_clamped_or_refused(value: int, today: date) -> None:
    reading = read_reply(f"đạt {value}%", today=today)
    assert reading.percent is None or 0 <= reading.percent <= 100
    if value <= 100:
        assert reading.percent == value
