"""The issuer read from the letterhead when the body names none, or only its kind ("UBND", "Ủy ban nhân dân tỉnh").

Found by trying real plans (tryplans): a decision of a city or of the Prime Minister showed «Cơ quan ban hành:
(không rõ)» and a provincial plan only «UBND», while the letterhead named the issuer. The plans below are
made up for the test.
"""

from __future__ import annotations

import pytest

from bot.importer import parse_plan
from bot.importer.metadata import letterhead_issuer

BODY = [
    "KẾ HOẠCH",
    "Chăm sóc cây xanh đô thị năm 2026",
    "",
    "1. Trồng bổ sung cây bóng mát trên các tuyến phố chính",
    "Đơn vị chủ trì: Sở Xây dựng. Thời gian: Quý II/2026.",
]


def _issuer(head: list[str], number: str = "Số: 41/KH-UBND") -> str | None:
    text = "\n".join([*head, number, "Hoa Sen, ngày 12 tháng 01 năm 2026", "", *BODY]) + "\n"
    return parse_plan(text.encode(), "ke-hoach.txt").meta.issuer


@pytest.mark.parametrize(
    ("head", "issuer"),
    [
        (["ỦY BAN NHÂN DÂN", "TỈNH HOA SEN", "-------", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"], "UBND tỉnh Hoa Sen"),
        (["UỶ BAN NHÂN DÂN THÀNH PHỐ BẾN ĐÁ -------\tCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"], "UBND thành phố Bến Đá"),
        (["ỦY BAN NHÂN DÂN\t\tCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "XÃ ĐỒI CHÈ\t\tĐộc lập - Tự do - Hạnh phúc"],
         "UBND xã Đồi Chè"),
    ],
)
def test_a_plan_that_names_only_ubnd_takes_the_letterhead(head: list[str], issuer: str) -> None:
    assert _issuer(head) == issuer


def test_a_decision_of_the_prime_minister_or_a_ministry_is_not_an_unknown_issuer() -> None:
    assert _issuer(["THỦ TƯỚNG CHÍNH PHỦ", "-------"], "Số: 905/QĐ-TTg") == "Thủ tướng Chính phủ"
    assert _issuer(["BỘ NÔNG NGHIỆP VÀ MÔI TRƯỜNG -------\tCỘNG HÒA XÃ HỘI"], "Số: 17/QĐ-BNNMT") == (
        "Bộ Nông nghiệp và Môi trường"
    )
    assert letterhead_issuer(["BỘ VĂN HÓA, THỂ THAO VÀ DU LỊCH"]) == "Bộ Văn hóa, Thể thao và Du lịch"


def test_an_issuer_the_body_names_wins_over_the_letterhead() -> None:
    head = ["ỦY BAN NHÂN DÂN", "TỈNH HOA SEN"]
    text = "\n".join([*head, "Số: 7/KH-VPUB", "", "KẾ HOẠCH", "Số hoá hồ sơ lưu trữ năm 2026", "",
                      "Văn phòng UBND tỉnh ban hành kế hoạch như sau:", *BODY[2:]]) + "\n"
    assert parse_plan(text.encode(), "ke-hoach.txt").meta.issuer == "Văn phòng UBND tỉnh"


def test_no_letterhead_keeps_what_the_text_gives() -> None:
    assert letterhead_issuer(["KẾ HOẠCH", "ỦY BAN NHÂN DÂN TỈNH"]) is None
    assert _issuer([]) == "UBND"  # the number's suffix, as before
