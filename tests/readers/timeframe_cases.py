"""The timeframe table: every "Thời gian thực hiện" cell of the five seed plans, then everyday variants.

Shared by tests/readers/test_timeframe.py and bench/bench_readers_timeframe.py. Expected values were
worked out by hand from the reading rules in bot/readers/timeframe.py (the plan year is 2026 unless
a case says otherwise). Seed cells keep the line breaks the PDF extraction left in them.
"""

from __future__ import annotations

from dataclasses import dataclass

Q = ("2026-03-31", "2026-06-30", "2026-09-30", "2026-12-31")
MONTH_ENDS = ("2026-01-31", "2026-02-28", "2026-03-31", "2026-04-30", "2026-05-31", "2026-06-30",
              "2026-07-31", "2026-08-31", "2026-09-30", "2026-10-31", "2026-11-30", "2026-12-31")
YEAR_END = ("2026-12-31",)


@dataclass(frozen=True)
class Case:
    text: str | None
    deadlines: tuple[str, ...]
    recurrence: str
    completed: bool = False
    ad_hoc: bool = False
    plan_year: int = 2026
    source: str = "variant"

    @property
    def is_single_date(self) -> bool:
        """A one-off phrase naming one day: what dateparser alone is scored on."""
        return self.recurrence == "none" and len(self.deadlines) == 1


def _seed(name: str, text: str, deadlines: tuple[str, ...], recurrence: str, **flags: bool) -> Case:
    return Case(text, deadlines, recurrence, source=f"seed {name}", **flags)


SEED_CASES: tuple[Case, ...] = (
    # 000: the provincial office's S&T plan (PDF: cells broken across lines)
    _seed("000", "Báo cáo: Quý, 6 \n\ntháng, năm và \n\nđột xuất", Q, "quarterly", ad_hoc=True),
    _seed("000", "Trước \n\n30/11/2026", ("2026-11-30",), "none"),
    _seed("000", "Thường xuyên", (), "continuous"),
    _seed("000", "Theo Kế hoạch \n\ncủa UBND tỉnh", (), "unspecified"),
    _seed("000", "Theo Kế \n\nhoạch của cấp \n\ncó thẩm quyền", (), "unspecified"),
    _seed("000", "Quý I/ 2026", ("2026-03-31",), "none"),
    _seed("000", "Theo kế hoạch \n\ncủa UBND tỉnh \n\nvà Sở KH&CN", (), "unspecified"),
    # 001: tab-separated appendix
    _seed("001", "Năm 2026", YEAR_END, "none"),
    _seed("001", "", (), "unspecified"),
    # 002: commune plan, appendix II
    _seed("002", "Đợt 1 quý II/2026 Đợt 2, Quý IV/2026", ("2026-06-30", "2026-12-31"), "none"),
    # 003: the province's ~90-row table (several timeframe columns)
    _seed("003", "Đã hoàn thành", (), "none", completed=True),
    _seed("003", "Hàng năm", YEAR_END, "yearly"),
    _seed("003", "Hằng năm", YEAR_END, "yearly"),
    _seed("003", "Cập nhật hàng năm", YEAR_END, "yearly"),
    _seed("003", "Quý II/2026", ("2026-06-30",), "none"),
    _seed("003", "Trong giai đoạn (nhiệm vụ 2025 chuyên tiếp)", (), "unspecified"),
    _seed("003", "Tháng 6/2028", ("2028-06-30",), "none"),
    _seed("003", "Tháng 6/2026", ("2026-06-30",), "none"),
    _seed("003", "Quý I/2026 (Đã hoàn thành)", ("2026-03-31",), "none", completed=True),
    _seed("003", "Quý I/2026", ("2026-03-31",), "none"),
    _seed("003", "2026", YEAR_END, "none"),
    _seed("003", "2026 (nhiệm vụ 2025 chuyển tiếp)", YEAR_END, "none"),
    _seed("003", "Hàng năm (nhiệm vụ 2025 chuyển tiếp)", YEAR_END, "yearly"),
    _seed("003", "Trong giai đoạn", (), "unspecified"),
    _seed("003", "- (1) (2) (3) (4): 31/5/2026 - (5): 30/6/2026", ("2026-05-31", "2026-06-30"), "none"),
    _seed("003", "31/3/2026", ("2026-03-31",), "none"),
    _seed("003", "Quý I/2026 (nhiệm vụ 2025 chuyển tiếp)", ("2026-03-31",), "none"),
    _seed("003", "2030", ("2030-12-31",), "none"),
    _seed("003", "2035", ("2035-12-31",), "none"),
    _seed("003", "2040", ("2040-12-31",), "none"),
    _seed("003", "Thường xuyên (nhiệm vụ 2025 chuyên tiếp)", (), "continuous"),
    _seed("003", "Thường xuyên (khi có yêu cầu)", (), "continuous", ad_hoc=True),
    _seed("003", "Chuyển tiếp 2026 (dự kiến thực hiện nếu có - theo cam kết)", YEAR_END, "none"),
    # 003's column headers, read as timeframes of their own
    _seed("003", "Năm 2025", ("2025-12-31",), "none"),
    _seed("003", "Giai đoạn 2025 - 2030", YEAR_END, "yearly"),
    _seed("003", "Giai đoạn 2030 - 2035", ("2035-12-31",), "none"),
    _seed("003", "Giai đoạn 2035 - 2040", ("2040-12-31",), "none"),
    _seed("003", "Giai đoạn 2040 - 2045", ("2045-12-31",), "none"),
    # 004: the campaign's stages
    _seed("004", "Giai đoạn 1 (từ 2026-2027)", YEAR_END, "yearly"),
    _seed("004", "Giai đoạn 2 (từ 2028-2030)", ("2030-12-31",), "none"),
    _seed("004", "Năm 2027", ("2027-12-31",), "none"),
)

VARIANT_CASES: tuple[Case, ...] = (
    # legal texts repeat the number in words in parentheses; "chậm nhất" is "by"
    Case("Chậm nhất ngày 10 (mười) tháng 12 năm 2026", ("2026-12-10",), "none"),
    Case("Trước ngày 30 (ba mươi) tháng 6 năm 2026", ("2026-06-30",), "none"),
    Case("trong vòng 15 (mười lăm) ngày, chậm nhất trước 31/12/2026", ("2026-12-31",), "none"),
    # quarters: roman or arabic, with or without diacritics, stray spaces and line breaks
    Case("quý 2 năm 2026", ("2026-06-30",), "none"),
    Case("Quý IV", ("2026-12-31",), "none"),
    Case("quy II/2026", ("2026-06-30",), "none"),
    Case("Quy 3", ("2026-09-30",), "none"),
    Case("QUÝ IV/2026", ("2026-12-31",), "none"),
    Case("  Quý   I /2026 ", ("2026-03-31",), "none"),
    Case("Quý\nIII/2026", ("2026-09-30",), "none"),
    Case("Q2/2026", ("2026-06-30",), "none"),
    Case("Quý I, II/2026", ("2026-03-31", "2026-06-30"), "none"),
    Case("Quý I và Quý III/2026", ("2026-03-31", "2026-09-30"), "none"),
    Case("Quý II - III/2026", ("2026-09-30",), "none"),
    Case("Quý IV/2026 - Quý I/2027", ("2027-03-31",), "none"),
    Case("Quý II/2027", ("2027-06-30",), "none"),
    Case("Quý III và IV năm 2026", ("2026-09-30", "2026-12-31"), "none"),
    Case("Quý I, II, III, IV/2026", Q, "none"),
    Case("Q.II/2026", ("2026-06-30",), "none"),
    Case("Quí II/2026", ("2026-06-30",), "none"),
    Case("Cuối quý II/2026", ("2026-06-30",), "none"),
    Case("Hoàn thành trong Quý II/2026", ("2026-06-30",), "none"),
    Case("Năm 2026 - Quý I/2027", ("2027-03-31",), "none"),
    Case("Quý IV, Quý I/2027", ("2026-12-31", "2027-03-31"), "none"),
    Case("Tháng 12, tháng 1/2027", ("2026-12-31", "2027-01-31"), "none"),
    # months and days
    Case("tháng 6", ("2026-06-30",), "none"),
    Case("thang 6/2026", ("2026-06-30",), "none"),
    Case("T6/2026", ("2026-06-30",), "none"),
    Case("Tháng 6 năm 2026", ("2026-06-30",), "none"),
    Case("Tháng 6 - 9/2026", ("2026-09-30",), "none"),
    Case("Từ tháng 3 đến tháng 6/2026", ("2026-06-30",), "none"),
    Case("Tháng 11/2026 - tháng 2/2027", ("2027-02-28",), "none"),
    Case("Tháng 3, 6, 9, 12/2026", ("2026-03-31", "2026-06-30", "2026-09-30", "2026-12-31"), "none"),
    Case("Tháng 2/2028", ("2028-02-29",), "none"),
    Case("tháng 9, 10 năm 2026", ("2026-09-30", "2026-10-31"), "none"),
    Case("Tháng 10-12/2026", ("2026-12-31",), "none"),
    Case("Tháng 6/2026; tháng 12/2026", ("2026-06-30", "2026-12-31"), "none"),
    Case("từ 01/7 - 31/12/2026", ("2026-12-31",), "none"),
    Case("Trước ngày 30 tháng 6 năm 2026", ("2026-06-30",), "none"),
    Case("Trước ngày 31/12/2026.", ("2026-12-31",), "none"),
    Case("Trước ngày 15/6/2026", ("2026-06-15",), "none"),
    Case("truoc 30/11/2026", ("2026-11-30",), "none"),
    Case("Trước 31/12", ("2026-12-31",), "none"),
    Case("Hoàn thành trước 30/6/2026", ("2026-06-30",), "none"),
    Case("15/6 và 15/12/2026", ("2026-06-15", "2026-12-15"), "none"),
    Case("Ngày 5 tháng 6 năm 2026", ("2026-06-05",), "none"),
    Case("05-6-2026", ("2026-06-05",), "none"),
    Case("15/6/26", ("2026-06-15",), "none"),
    Case("29/2", ("2028-02-29",), "none", plan_year=2028),
    Case("Tuần đầu tháng 7", ("2026-07-07",), "none"),
    Case("Tuần cuối tháng 6/2026", ("2026-06-30",), "none"),
    # years, halves and parts of a year
    Case("Năm 2026 (Đã hoàn thành)", YEAR_END, "none", completed=True),
    Case("Đến hết năm 2026", YEAR_END, "none"),
    Case("Đến năm 2030", ("2030-12-31",), "none"),
    Case("Năm 2026, 2027", ("2026-12-31", "2027-12-31"), "none"),
    Case("Trong năm 2026", YEAR_END, "none"),
    Case("Trong năm", YEAR_END, "none"),
    Case("Cuối năm 2026", YEAR_END, "none"),
    Case("Đầu năm 2026", ("2026-03-31",), "none"),
    Case("6 tháng đầu năm", ("2026-06-30",), "none"),
    Case("6 tháng cuối năm", YEAR_END, "none"),
    Case("6 thang dau nam 2026", ("2026-06-30",), "none"),
    Case("9 tháng đầu năm", ("2026-09-30",), "none"),
    # stages
    Case("Giai đoạn 2026-2030", YEAR_END, "yearly"),
    Case("2026 - 2030", YEAR_END, "yearly"),
    Case("Từ năm 2026 đến năm 2030", YEAR_END, "yearly"),
    Case("Năm 2026-2027", YEAR_END, "yearly"),
    Case("Giai đoạn 2021-2025", ("2025-12-31",), "none"),
    Case("Giai đoạn 2026-2030", ("2028-12-31",), "yearly", plan_year=2028),
    # recurring
    Case("Hằng tháng", MONTH_ENDS, "monthly"),
    Case("Hàng quý", Q, "quarterly"),
    Case("Định kỳ hàng quý", Q, "quarterly"),
    Case("Hàng quý năm 2027", ("2027-03-31", "2027-06-30", "2027-09-30", "2027-12-31"), "quarterly"),
    Case("Định kỳ 6 tháng", ("2026-06-30", "2026-12-31"), "half_yearly"),
    Case("6 tháng, năm", ("2026-06-30", "2026-12-31"), "half_yearly"),
    Case("hang nam", YEAR_END, "yearly"),
    Case("Quý I hằng năm", ("2026-03-31",), "yearly"),
    Case("Năm 2026 và các năm tiếp theo", YEAR_END, "yearly"),
    Case("Tháng 6 và tháng 12 hằng năm", ("2026-06-30", "2026-12-31"), "yearly"),
    Case("Hằng năm, trước 15/12", ("2026-12-15",), "yearly"),
    Case("Giai đoạn 2026 - 2030 (hằng năm)", YEAR_END, "yearly"),
    Case("Hằng năm (nhiệm vụ 2025 chuyển tiếp)", YEAR_END, "yearly"),
    Case("Hàng năm", ("2027-12-31",), "yearly", plan_year=2027),
    Case("trước ngày 15/6 và 15/12 hằng năm", ("2026-06-15", "2026-12-15"), "yearly"),
    Case("Trước ngày 20 hằng tháng", tuple(f"2026-{m:02d}-20" for m in range(1, 13)), "monthly"),
    Case("Trước ngày 05 của tháng cuối quý", ("2026-03-05", "2026-06-05", "2026-09-05", "2026-12-05"),
         "quarterly"),
    Case("Báo cáo quý, năm", Q, "quarterly"),
    # continuous, done, ad hoc
    Case("Thuong xuyen", (), "continuous"),
    Case("Liên tục", (), "continuous"),
    Case("Thường xuyên, đột xuất", (), "continuous", ad_hoc=True),
    Case("Định kỳ", (), "continuous"),
    Case("dinh ky, dot xuat", (), "continuous", ad_hoc=True),
    Case("Định kỳ theo quy định", (), "continuous"),
    Case("định kỳ theo quý", Q, "quarterly"),
    Case("Định kỳ hằng năm", YEAR_END, "yearly"),
    Case("Da hoan thanh", (), "none", completed=True),
    Case("Trước 30/6/2026 (Đã hoàn thành 15/5/2026)", ("2026-06-30",), "none", completed=True),
    Case("Đã hoàn thành Quý I/2026", ("2026-03-31",), "none", completed=True),
    Case("Tháng 6/2026 (đã hoàn thành)", ("2026-06-30",), "none", completed=True),
    Case("Đột xuất", (), "none", ad_hoc=True),
    Case("Khi có yêu cầu", (), "none", ad_hoc=True),
    # unreadable on purpose: no guess
    Case(None, (), "unspecified"),
    Case("   \n ", (), "unspecified"),
    Case("Theo quy định", (), "unspecified"),
    Case("Theo kế hoạch năm 2026 của UBND tỉnh", (), "unspecified"),
    Case("Theo tiến độ dự án", (), "unspecified"),
    Case("Chưa xác định", (), "unspecified"),
    Case("Quỹ I", (), "unspecified"),
    Case("Hằng tuần", (), "weekly"),  # every week: the weekly periods carry it (no deadline of its own)
    Case("Sau khi có hướng dẫn", (), "unspecified"),
    Case("Tháng 13/2026", (), "unspecified"),
    # once known gaps, now read: a month range without "tháng", "before" a period, ISO dates
    Case("6 - 9/2026", ("2026-09-30",), "none"),
    Case("6-9/2026", ("2026-09-30",), "none"),
    Case("9/2026", ("2026-09-30",), "none"),
    Case("6, 9/2026", ("2026-06-30", "2026-09-30"), "none"),
    Case("II/2026", ("2026-06-30",), "none"),
    Case("Trước Quý III/2026", ("2026-06-30",), "none"),
    Case("truoc thang 12/2026", ("2026-11-30",), "none"),
    Case("Trước năm 2027", ("2026-12-31",), "none"),
    Case("2026-10-15", ("2026-10-15",), "none"),
    Case("15-10-2026", ("2026-10-15",), "none"),
    Case("30/6-31/12/2026", ("2026-12-31",), "none"),
    # a document's number is not a month
    Case("Theo Nghị quyết 05/2026", (), "unspecified"),
    Case("Thực hiện theo Quyết định số 10/2026/QĐ-UBND", (), "unspecified"),
    Case("Theo Kế hoạch số 12/2026 của UBND tỉnh", (), "unspecified"),
    Case("31/2/2026", (), "unspecified"),
)

CASES: tuple[Case, ...] = SEED_CASES + VARIANT_CASES
