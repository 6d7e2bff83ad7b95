"""`nhacviec summary`: the aggregated report of a plan for one period, as text, JSON, xlsx, docx or png."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, datetime
from importlib import import_module
from pathlib import Path
from typing import Any

import click
from sqlmodel import Session

from bot.base.clock import local
from bot.base.errors import UserError
from bot.base.period_keys import read_period_key
from bot.base.text import fold
from bot.cli.context import CliContext, pass_cli
from bot.periods import collecting_period, ensure_plan_periods, plans_collecting
from bot.summary.build import build_summary, resolve_plan
from bot.summary.gc_pause import gc_paused
from bot.summary.model import Summary
from storage.models import Plan

BINARY = ("xlsx", "docx", "png")  # each renderer imported when asked for (matplotlib alone takes 0.6 s)
FORMATS = ("text", "json", *BINARY)


def renderer(fmt: str) -> Callable[..., Any]:
    """bot.summary.render_<fmt>.render_<fmt>, imported now."""
    return getattr(import_module(f"bot.summary.render_{fmt}"), f"render_{fmt}")


def default_file_name(plan_number: str | None, plan_id: int, period_key: str, fmt: str) -> str:
    """ "tong-hop-125-kh-ubnd-2026-Q2.xlsx" (the plan id when it has no number)."""
    plan = re.sub(r"[^a-z0-9]+", "-", fold(plan_number or f"kh{plan_id}")).strip("-") or f"kh{plan_id}"
    period = re.sub(r"[^A-Za-z0-9-]+", "-", period_key).strip("-")
    return f"tong-hop-{plan}-{period}.{fmt}"


@click.command("summary")
@click.option("--plan", "plan_ref", help="Mã hoặc số kế hoạch (bỏ trống khi chỉ có một kế hoạch đang hoạt động).")
@click.option("--period", "period_key",
              help="Kỳ báo cáo, ví dụ 2026-Q2, 2026-H1, 2026, ADHOC-3, T11/2026, \"tháng 11\", \"tuần 48\", "
                   "\"tuần này\" (bỏ trống: kỳ đang thu báo cáo của từng kế hoạch đang hoạt động).")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="text", show_default=True,
              help="Định dạng: text, json, xlsx, docx, png.")
@click.option("--out", "out", type=click.Path(dir_okay=False, path_type=Path),
              help="Ghi ra tệp này (mặc định: in ra màn hình với text/json, tệp trong thư mục hiện tại với "
                   "xlsx/docx/png).")
@pass_cli
def command(ctx: CliContext, plan_ref: str | None, period_key: str | None, fmt: str, out: Path | None) -> None:
    """Báo cáo tổng hợp một kỳ: đơn vị đã/chưa báo cáo, nhiệm vụ quá hạn, khó khăn vướng mắc.

    Without --period, each plan's collecting period (as /tonghop): every active plan, or the one given by --plan.

    Example: nhacviec summary --period 2026-Q2 --format xlsx
    """
    db = ctx.database()
    now = ctx.now()
    today = local(now).date()
    if period_key is None:
        wanted = db.call(resolve_plan, ref=plan_ref) if plan_ref else None
        targets = db.call(_collecting_keys, wanted=wanted, today=today, now=now)
        if not targets:
            raise UserError("Chưa có kế hoạch nào đang hoạt động. Hãy nhập kế hoạch trước.")
        if len(targets) > 1 and out is not None:
            raise UserError(f"Có {len(targets)} kế hoạch đang hoạt động: --out ghi một tệp, hãy chọn kế hoạch bằng "
                            "--plan (hoặc bỏ --out).")
    else:
        plan_id = db.call(resolve_plan, ref=plan_ref)
        key = read_period_key(period_key, today=today) or period_key  # unread: refused with the list
        db.call(ensure_plan_periods, plan_id=plan_id, years=[today.year], now=now)  # this year's periods
        targets = [(plan_id, key)]
    with gc_paused():  # the summaries' lines live until the end: the collector would go over them in vain
        _output(targets, fmt, out, [db.call(build_summary, plan_id=plan_id, period_key=key, now=now)
                                    for plan_id, key in targets])


def _output(targets: list[tuple[int, str]], fmt: str, out: Path | None, summaries: list[Summary]) -> None:
    """The summaries written to `out` (or files named after them, or the screen) in `fmt`."""
    if fmt in BINARY:
        for (plan_id, _), summary in zip(targets, summaries, strict=True):
            data = renderer(fmt)(summary)
            target = out or Path.cwd() / default_file_name(summary.plan.number, plan_id, summary.period.key, fmt)
            _write(target, data)
            click.echo(f"Đã ghi {target} ({len(data):,} byte).".replace(",", "."))
        return
    if fmt == "json":
        texts = [renderer("json")(summary) for summary in summaries]
        text = texts[0] if len(texts) == 1 else "[\n" + ",\n".join(texts) + "\n]"  # one object per plan
    else:
        text = "\n\n".join(chunk for summary in summaries for chunk in renderer("text")(summary, html=False))
    if out is None:
        click.echo(text)
        return
    _write(out, (text + "\n").encode("utf-8"))
    click.echo(f"Đã ghi {out}.")


def _collecting_keys(*, session: Session, wanted: int | None, today: date, now: datetime) -> list[tuple[int, str]]:
    """(plan id, collecting period key) for each active plan, or for the plan `wanted` only (active or not)."""
    if wanted is not None:
        plan = session.get(Plan, wanted)
        assert plan is not None and plan.id is not None  # resolve_plan found it
        return [(plan.id, collecting_period(session=session, plan=plan, today=today, now=now).key)]
    found = []
    for plan, period in plans_collecting(session=session, today=today, now=now):
        assert plan.id is not None
        found.append((plan.id, period.key))
    return found


def _write(path: Path, data: bytes) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    except OSError as exc:
        raise UserError(f"Không ghi được tệp {path}: {exc.strerror or exc}.") from None

