"""`nhacviec demo --platform zalo`: the quarter through the Zalo connector and twin, answers typed."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.cli import main


def test_demo_on_zalo_plays_a_quarter_with_typed_answers(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["demo", "--platform", "zalo", "--out", "out"]) == 0
    printed = capsys.readouterr().out
    for day in ("27/05 08:00", "02/06 08:00", "04/06 08:00"):
        assert f"{day}  🤖 → " in printed, day
    assert "gõ: «1»" in printed and "Đã ghi nhiệm vụ" in printed  # a numbered answer to the last card
    assert "gõ: «NV" in printed and "vướng: chưa có kinh phí" in printed  # a task code first
    assert "Chưa rõ tình trạng" in printed  # "ok" is asked back, then answered "2"
    assert "ghi nhận sau hạn" in printed  # the late answer counts for the card's period, late
    assert "05/06 08:00  🤖 → Đầu mối" in printed and "📊 Tổng hợp kỳ Quý II/2026" in printed
    assert "Bấm nút" not in printed  # no button instructions on Zalo
    data = json.loads((tmp_path / "out" / "tong-hop-2026-Q2.json").read_text(encoding="utf-8"))
    states = {u["unit"]: u["state"] for u in data["units"]}
    assert states["Văn phòng HĐND và UBND huyện"] == "missing" and states["Phòng Tư pháp"] == "late"
    assert any(t["status"] == "blocked" for t in data["tasks"])
