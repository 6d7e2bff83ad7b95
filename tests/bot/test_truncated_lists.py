"""Every list cut short in the chat's import preview says how many more there are ("và 18 đơn vị khác")."""

from __future__ import annotations

import re
from pathlib import Path

from bot.base.messages import whole_lines
from tests.bot.conftest import World

SEED_003 = "003_2530e74816a637fb.txt"


def _listed_and_more(text: str) -> tuple[int, int, int]:
    """(how many unknown lead units the preview counts, how many it lists, how many it says are left)."""
    total = int(re.search(r"(\d+) đơn vị chủ trì chưa đăng ký", text).group(1))  # type: ignore[union-attr]
    block = text.split("đơn vị chủ trì chưa đăng ký:", 1)[1].split("\n")[1:]
    listed = 0
    for line in block:
        if not line.strip().startswith("- «"):
            break
        listed += 1
    more = re.search(r"và (\d+) đơn vị khác", "\n".join(block[listed:listed + 1]))
    return total, listed, int(more.group(1)) if more else 0


def _plan(units: int) -> bytes:
    rows = "".join(f"{n}\tNhiệm vụ số {n}\tTrung tâm dịch vụ số {n}\t\tQuý III/2026\n" for n in range(1, units + 1))
    return ("TT\tNội dung\tĐơn vị chủ trì\tĐơn vị phối hợp\tThời gian thực hiện\n" + rows).encode()


async def _preview(world: World, name: str, data: bytes) -> str:
    people = world.people
    coord = await people.create_user("Hà")
    await world.after(coord.id, people.start(coord, world.invite("vp", "coordinator", "VP-1")))
    (preview,) = await world.after(coord.id, people.send_document(coord.id, coord, name, data), timeout=30)
    assert "Xem trước" in preview.text
    return preview.text


async def test_the_preview_says_how_many_unknown_units_it_left_out(world: World) -> None:
    total, listed, more = _listed_and_more(await _preview(world, "ke-hoach.tsv", _plan(22)))
    assert total == 22 and listed < total and listed + more == total


async def test_the_seed_preview_says_how_many_more(world: World, seeds_dir: Path) -> None:
    """Seed 003 names 33 lead units nobody registered: the preview lists some and says how many more."""
    total, listed, more = _listed_and_more(await _preview(world, SEED_003, (seeds_dir / SEED_003).read_bytes()))
    assert listed < total and listed + more == total


def test_a_long_preview_is_cut_at_a_line_and_says_how_many_lines_are_left() -> None:
    text = "\n".join(f"dòng {n:03d} " + "x" * 40 for n in range(200))
    cut = whole_lines(text, 3500)
    kept = cut.split("\n")[:-1]
    assert len(cut) <= 3500 and kept == text.split("\n")[:len(kept)]
    assert cut.endswith(f"… còn {200 - len(kept)} dòng nữa không hiển thị ở đây.")
    assert whole_lines("ngắn", 3500) == "ngắn"
