"""The offline demo: one quarter through the real bot, scheduler and sandbox; its outputs checked."""

from __future__ import annotations

import json
from pathlib import Path

import docx
import openpyxl
import pytest

from bot.cli import main


def test_demo_plays_a_quarter_and_writes_the_summary_files(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["demo", "--out", "out"]) == 0
    printed = capsys.readouterr().out
    # nudges 7, 3 and 1 working days before the 5 June cutoff, at 08:00
    for day in ("27/05 08:00", "02/06 08:00", "04/06 08:00"):
        assert f"{day}  🤖 → " in printed, day
    assert "bấm «Hoàn thành»" in printed and "trả lời: «vướng: chưa có kinh phí»" in printed
    assert "Chưa rõ tình trạng" in printed  # "ok" is asked back, not guessed
    assert "(đã sửa)" in printed  # an edited reply is recorded again
    assert "ghi nhận sau hạn" in printed  # a late reply after the cutoff
    assert "05/06 08:00  🤖 → Đầu mối" in printed and "Đôn đốc" in printed  # escalation and the pushed summary
    assert "📊 Tổng hợp kỳ Quý II/2026" in printed

    out = tmp_path / "out"
    data = json.loads((out / "tong-hop-2026-Q2.json").read_text(encoding="utf-8"))
    states = {u["unit"]: u["state"] for u in data["units"]}
    assert states["Văn phòng HĐND và UBND huyện"] == "missing"  # the silent unit
    assert states["Phòng Tư pháp"] == "late"
    assert "on_time" in states.values()
    assert any(t["status"] == "blocked" for t in data["tasks"])
    sheet = openpyxl.load_workbook(out / "tong-hop-2026-Q2.xlsx").worksheets[0]
    cells = [str(c.value) for row in sheet.iter_rows() for c in row if c.value]
    assert any("Số hóa hồ sơ đất đai" in c for c in cells)
    text = "\n".join(p.text for p in docx.Document(str(out / "tong-hop-2026-Q2.docx")).paragraphs)
    assert "BÁO CÁO" in text and "45/KH-UBND" in text
    assert (out / "tong-hop-2026-Q2.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    conversation = (out / "hoi-thoai.txt").read_text(encoding="utf-8")
    assert conversation.count("🤖") >= 30
