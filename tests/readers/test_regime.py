"""The reporting-rule reader on the five seed plans and on single sentences."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from bot.calendar import DEFAULT_REGIMES, CutoffRule, Frequency, Regime, periods_for_year
from bot.readers.regime import ReportingRules, body_sentences, parse_reporting_rules

TCHCQT = "Phòng Tổ chức - Hành chính - Quản trị"
QUARTERLY_DAY_5 = [Regime(Frequency.QUARTERLY, CutoffRule(day=5))]
ND09_DUE = CutoffRule(day=14, after_close=1)  # figures close on the 14th, the report one working day later
HALF_AND_YEAR = [Regime(Frequency.HALF_YEARLY), Regime(Frequency.YEARLY)]

# seed -> (regimes, defaulted, coordinator, ad_hoc, a sentence that must be in the evidence)
SEEDS = {
    "000": (list(DEFAULT_REGIMES), True, TCHCQT, True,
            "gửi báo cáo về Phòng Tổ chức – Hành chính – Quản trị để tổng hợp"),
    "001": (HALF_AND_YEAR, False, TCHCQT, False, "Định kỳ 6 tháng, hằng năm báo cáo kết quả thực hiện về UBND tỉnh"),
    "002": (QUARTERLY_DAY_5, False, "Phòng Văn hóa - Xã hội", True, "(qua Phòng Văn hóa - Xã hội)"),
    "003": (list(DEFAULT_REGIMES), True, "Sở Khoa học và Công nghệ", False,
            "gửi về Sở Khoa học và Công nghệ để tổng hợp"),
    "004": (list(DEFAULT_REGIMES), True, TCHCQT, False, "(qua Phòng Tổ chức - Hành chính - Quản trị)"),
}


@pytest.mark.parametrize("prefix", sorted(SEEDS))
def test_seed_plans(seeds_dir: Path, prefix: str) -> None:
    (path,) = seeds_dir.glob(f"{prefix}_*.txt")
    rules = parse_reporting_rules(path.read_text(encoding="utf-8"))
    regimes, defaulted, coordinator, ad_hoc, evidence = SEEDS[prefix]
    assert rules.regimes == regimes
    assert rules.defaulted is defaulted
    assert rules.coordinator == coordinator
    assert rules.ad_hoc is ad_hoc
    assert any(evidence in sentence for sentence in rules.evidence), rules.evidence


def test_seed_002_cutoffs_in_the_calendar(seeds_dir: Path) -> None:
    (path,) = seeds_dir.glob("002_*.txt")
    rules = parse_reporting_rules(path.read_text(encoding="utf-8"))
    cutoffs = [p.cutoff.isoformat() for p in periods_for_year(2026, rules.regimes)]
    assert cutoffs == ["2026-03-05", "2026-06-05", "2026-09-05", "2026-12-05"]


Q = Frequency.QUARTERLY
H = Frequency.HALF_YEARLY
Y = Frequency.YEARLY
M = Frequency.MONTHLY

SENTENCES = [
    # (sentence, regimes or None when the plan states none and the defaults apply, coordinator, ad_hoc)
    ("Các đơn vị báo cáo kết quả thực hiện định kỳ hàng quý vào trước ngày 05 của tháng cuối quý.",
     [Regime(Q, CutoffRule(5))], None, False),
    ("Định kỳ 6 tháng, hằng năm báo cáo kết quả thực hiện về UBND tỉnh.",
     [Regime(H), Regime(Y)], "UBND tỉnh", False),
    ("Các phòng gửi báo cáo về Phòng Tổ chức – Hành chính – Quản trị để tổng hợp.",
     None, TCHCQT, False),
    ("Các cơ quan báo cáo kết quả về Ủy ban nhân dân xã (qua Phòng Văn hóa - Xã hội) hằng quý.",
     [Regime(Q)], "Phòng Văn hóa - Xã hội", False),
    ("Báo cáo: Quý, 6 tháng, năm và đột xuất", [Regime(Q), Regime(H), Regime(Y)], None, True),
    ("Các đơn vị gửi báo cáo trước ngày 15/6 và 15/12 hằng năm.",
     [Regime(H, CutoffRule(15, 6)), Regime(Y, CutoffRule(15, 12))], None, False),
    ("Các đơn vị báo cáo về UBND huyện (qua Phòng Văn hóa và Thông tin) trước ngày 15 tháng 6 và trước ngày 15 tháng"
     " 12 hằng năm.", [Regime(H, CutoffRule(15, 6)), Regime(Y, CutoffRule(15, 12))], "Phòng Văn hóa và Thông tin",
     False),
    ("Các đơn vị báo cáo trước ngày 20 hằng tháng.", [Regime(M, CutoffRule(20))], None, False),
    ("Báo cáo quý gửi trước ngày 10 tháng đầu quý sau về Sở Nội vụ.",
     [Regime(Q, CutoffRule(10, month_offset=1))], "Sở Nội vụ", False),
    ("Báo cáo hàng quý trước ngày 15/3, 15/6, 15/9 và 15/12.", [Regime(Q, CutoffRule(15))], None, False),
    ("Văn phòng Sở là đầu mối tổng hợp, báo cáo kết quả thực hiện.", None, "Văn phòng Sở", False),
    ("Phòng Kinh tế chủ trì theo dõi, đôn đốc, tổng hợp kết quả.", None, "Phòng Kinh tế", False),
    ("Báo cáo năm gửi về Sở Tài chính trước ngày 15/12.", [Regime(Y, CutoffRule(15, 12))], "Sở Tài chính", False),
    ("bao cao dinh ky hang quy truoc ngay 05 cua thang cuoi quy ve phong van hoa - xa hoi de tong hop",
     [Regime(Q, CutoffRule(5))], "Phong van hoa - xa hoi", False),
    ("Thực hiện báo cáo đột xuất khi có yêu cầu.", None, None, True),
    # not reporting rules: "hằng năm" outside a reporting clause, "quy định", a fund ("quỹ")
    ("Khen thưởng hằng năm theo quy định.", None, None, False),
    ("Quỹ phát triển hoạt động theo quy định; báo cáo theo quy định.", None, None, False),
    ("", None, None, False),
]


@pytest.mark.parametrize(("sentence", "regimes", "coordinator", "ad_hoc"), SENTENCES,
                         ids=[s[0][:50] or "empty" for s in SENTENCES])
def test_single_sentences(sentence: str, regimes: list[Regime] | None, coordinator: str | None, ad_hoc: bool) -> None:
    rules = parse_reporting_rules(sentence)
    assert (rules.coordinator, rules.ad_hoc) == (coordinator, ad_hoc)
    assert rules.regimes == (regimes if regimes is not None else list(DEFAULT_REGIMES))
    assert rules.defaulted is (regimes is None)


def test_via_beats_the_nominal_recipient_and_to_aggregate_beats_a_bare_recipient() -> None:
    text = ("Các phòng báo cáo kết quả về UBND tỉnh. "
            "Các đơn vị gửi báo cáo về Văn phòng Sở để tổng hợp. "
            "Báo cáo Giám đốc Sở (qua Phòng Kế hoạch - Tài chính).")
    assert parse_reporting_rules(text).coordinator == "Phòng Kế hoạch - Tài chính"
    assert parse_reporting_rules(text.rsplit(" Báo cáo", 1)[0]).coordinator == "Văn phòng Sở"


def test_appendix_rows_are_not_rules() -> None:
    text = "Các đơn vị báo cáo định kỳ về Sở Nội vụ để tổng hợp.\nPHỤ LỤC\n1\tBáo cáo tháng\tSở Y tế\tHằng tháng\n"
    rules = parse_reporting_rules(text)
    assert rules.defaulted and rules.coordinator == "Sở Nội vụ"


def test_pdf_line_breaks_are_joined() -> None:
    text = ("1. Các phòng thực hiện báo cáo định kỳ hằng \n\nquý; gửi báo cáo về Phòng Tổ chức – \n\n"
            "Hành chính – Quản trị để tổng hợp.\n")
    assert body_sentences(text) == [
        "1. Các phòng thực hiện báo cáo định kỳ hằng quý; gửi báo cáo về Phòng Tổ chức – Hành chính – Quản trị "
        "để tổng hợp."
    ]
    rules = parse_reporting_rules(text)
    assert rules.regimes == [Regime(Q)] and rules.coordinator == TCHCQT


def test_to_json_and_describe() -> None:
    rules = parse_reporting_rules("Các đơn vị báo cáo hằng quý trước ngày 05 của tháng cuối quý (qua Phòng Nội vụ).")
    assert isinstance(rules, ReportingRules)
    assert rules.to_json() == {
        "regimes": [{"frequency": "quarterly", "cutoff": {"day": 5, "month": None, "month_offset": 0}}],
        "coordinator": "Phòng Nội vụ",
        "ad_hoc": False,
        "evidence": ["Các đơn vị báo cáo hằng quý trước ngày 05 của tháng cuối quý (qua Phòng Nội vụ)."],
        "defaulted": False,
    }
    text = rules.describe_vi()
    assert "Phòng Nội vụ" in text and "Hằng quý" in text and "trước ngày 05" in text


# Legal wording: numbers repeated in words, "chậm nhất", "tháng cuối cùng của mỗi quý", Nghị định 09/2019's data close.
@pytest.mark.parametrize(
    ("sentence", "regimes", "coordinator"),
    [
        ("Định kỳ hằng quý, các đơn vị báo cáo kết quả trước ngày 05 (năm) của tháng cuối quý về Sở Nội vụ"
         " để tổng hợp.",
         [Regime(Frequency.QUARTERLY, CutoffRule(day=5))], "Sở Nội vụ"),
        ("Các sở, ngành gửi báo cáo định kỳ chậm nhất vào ngày 20 (hai mươi) tháng cuối cùng của mỗi quý về Sở Tư pháp"
         " (qua Phòng Hành chính tư pháp).", [Regime(Frequency.QUARTERLY, CutoffRule(day=20))],
         "Phòng Hành chính tư pháp"),
        ("Báo cáo năm gửi chậm nhất ngày 15 (mười lăm) tháng 12 hằng năm về Sở Tài chính.",
         [Regime(Frequency.YEARLY, CutoffRule(day=15, month=12))], "Sở Tài chính"),
        ("Thời gian chốt số liệu báo cáo định kỳ hằng quý tính từ ngày 15 của tháng trước kỳ báo cáo đến ngày 14 của"
         " tháng cuối quý; báo cáo gửi về Sở Tài chính.", [Regime(Frequency.QUARTERLY, ND09_DUE, 14)],
         "Sở Tài chính"),
        ("Thời gian chốt số liệu đến ngày 14 của tháng cuối quý; các đơn vị gửi báo cáo trước ngày 18 của tháng cuối"
         " quý về Sở Nội vụ.", [Regime(Frequency.QUARTERLY, CutoffRule(day=18), 14)], "Sở Nội vụ"),
        ("Các đơn vị thực hiện chế độ báo cáo theo quy định tại Nghị định số 09/2019/NĐ-CP, gửi về Sở Nội vụ"
         " để tổng hợp.",
         [Regime(f, ND09_DUE, 14) for f in (Frequency.QUARTERLY, Frequency.HALF_YEARLY, Frequency.YEARLY)],
         "Sở Nội vụ"),
    ],
)
def test_legal_wording(sentence: str, regimes: list[Regime], coordinator: str) -> None:
    rules = parse_reporting_rules(sentence)
    assert rules.regimes == regimes
    assert rules.coordinator == coordinator
    assert rules.defaulted is False


@pytest.mark.parametrize(
    ("sentence", "weekday", "coordinator"),
    [
        ("Các phòng báo cáo tiến độ vào thứ Sáu hằng tuần về Văn phòng để tổng hợp.", 4, "Văn phòng"),
        ("Các đơn vị gửi báo cáo hằng tuần trước 16 giờ thứ Năm về Sở Nội vụ.", 3, "Sở Nội vụ"),  # Thursday counts
        ("Định kỳ hằng tuần, trước thứ Năm, các xã báo cáo về UBND huyện.", 2, "UBND huyện"),  # Thursday is late
        ("Báo cáo tuần gửi trước 15h00 thứ Sáu về Phòng Nội vụ.", 4, "Phòng Nội vụ"),
        ("Các tổ công tác báo cáo hằng tuần về Ban Chỉ đạo.", 4, "Ban Chỉ đạo"),  # no day: Friday
    ],
)
def test_weekly_rules(sentence: str, weekday: int, coordinator: str) -> None:
    rules = parse_reporting_rules(sentence)
    (regime,) = rules.regimes
    assert regime.frequency is Frequency.WEEKLY
    assert rules.coordinator == coordinator
    (week, *_) = periods_for_year(2026, [regime])
    assert week.key == "2026-W01" and week.cutoff.weekday() == (weekday + 1) % 7
    assert "Hằng tuần" in rules.describe_vi()


def test_nd09_data_window_and_a_deadline_per_level_one_working_day_apart() -> None:
    rules = parse_reporting_rules(
        "Thời gian chốt số liệu báo cáo quý tính từ ngày 15 của tháng trước kỳ báo cáo đến ngày 14 của tháng cuối quý."
        " Các phòng gửi báo cáo quý về Văn phòng trước ngày 15 của tháng cuối quý; Văn phòng tổng hợp, báo cáo UBND"
        " tỉnh trước ngày 15 của tháng cuối quý.")
    (regime,) = rules.regimes
    assert regime.data_close == 14 and [level.sender for level in regime.levels] == ["Văn phòng"]
    assert [level.recipient for level in regime.levels] == ["UBND tỉnh"]
    q1, *_ = periods_for_year(2026, rules.regimes)
    assert regime.data_window(q1) == (date(2025, 12, 15), date(2026, 3, 14))
    # 14/3/2026 is a Saturday: the units have until Monday 16/3 (one working day after), Văn phòng until 17/3
    assert q1.last_on_time_day == date(2026, 3, 16)
    assert regime.level_deadlines(q1) == [("Văn phòng", date(2026, 3, 17))]
    assert Regime.from_dict(regime.to_dict()) == regime
    assert "Nghị định 09/2019" in rules.describe_vi() and "Văn phòng gửi lên UBND tỉnh" in rules.describe_vi()
