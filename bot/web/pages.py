"""The pages: a plan's period overview, a unit, a task across units, the files, CSV of any table.

Who sees what (as in chat): coordinators and admins see every plan whole; a head or a staff member only
their own unit (the overview sends them to it; another unit's page answers 403). Summaries come from
bot.summary.build.build_summary through the cache (bot.web.cache); the files from the same renderers the
chat sends (bot.summary).
"""

from __future__ import annotations

import asyncio
from collections import defaultdict
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from sqlmodel import Session
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from bot.base.errors import UserError
from bot.base.period_keys import listed_keys
from bot.periods import collecting_period
from bot.summary.files import file_stem
from bot.summary.model import Summary
from bot.summary.render_docx import render_docx
from bot.summary.render_json import render_json
from bot.summary.render_png import render_png
from bot.summary.render_xlsx import render_xlsx
from bot.web import views
from bot.web.app import Web, signed_in
from bot.web.cache import Entry, SummaryCache
from bot.web.links import DOWNLOAD_FORMATS, DownloadRefused, check_download
from storage.models import Plan, Unit
from storage.web_queries import PeriodChoice, PlanChoice, period_choices, plan_choices, report_versions, task_plan
from storage.web_sessions import Viewer

RENDER = {"xlsx": render_xlsx, "docx": render_docx, "png": render_png,
          "json": lambda summary: render_json(summary).encode("utf-8")}
MEDIA = {"xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
         "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
         "png": "image/png", "json": "application/json", "csv": "text/csv; charset=utf-8"}
FILE_LABELS = {"xlsx": "Bảng tổng hợp (Excel)", "docx": "Dự thảo báo cáo (Word)", "png": "Biểu đồ (PNG)",
               "json": "Dữ liệu (JSON)"}
ROW_LIMIT = 500  # rows of a table shown on a page; the CSV has them all


@dataclass
class Choice:
    """The plan and period a page is about, and the lists to choose from."""

    plans: list[PlanChoice]
    plan_id: int
    periods: list[PeriodChoice]
    period_key: str

    def params(self, **more: Any) -> str:
        values = {"plan": self.plan_id, "period": self.period_key}
        values.update({k: v for k, v in more.items() if v not in (None, "")})
        return urlencode(values)


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value else None
    except ValueError:
        return None


def choose(*, session: Session, plan: int | None, period: str | None, web: Web) -> Choice | None:
    """The plan (the one asked for, else the first active one) and period (asked for, else the one being
    collected today); None when there is no plan at all."""
    plans = plan_choices(session=session)
    if not plans:
        return None
    chosen = next((p for p in plans if p.id == plan), None) if plan is not None else plans[0]
    if chosen is None:
        raise UserError(f"Không có kế hoạch mã {plan}.")
    now = web.config.clock.now()
    if not period:
        row = session.get(Plan, chosen.id)
        assert row is not None
        period = collecting_period(session=session, plan=row, today=now.astimezone(web.config.tz).date(), now=now).key
    periods = period_choices(session=session, plan_id=chosen.id)
    known = next((p.key for p in periods if p.key.upper() == period.strip().upper()), None)
    if known is None:
        listed = listed_keys(p.key for p in periods)
        raise UserError(f"{chosen.label} không có kỳ báo cáo «{period}» (các kỳ: {listed}).")
    return Choice(plans, chosen.id, periods, known)


def routes(web: Web) -> list[Route]:
    config = web.config
    cache: SummaryCache = config.cache

    async def pick(request: Request, *, plan: int | None = None) -> Choice | Response:
        """The plan (`plan`, else the query's) and period the page is about, or the page saying why not."""
        query = request.query_params
        try:
            chosen = await config.db.run(choose, plan=plan if plan is not None else _int(query.get("plan")),
                                         period=query.get("period"), web=web)
        except UserError as exc:
            return web.refuse(request, 404, "Không tìm thấy", str(exc), next_step="Chọn kế hoạch và kỳ khác.",
                              next_url="/", next_label="Về trang tổng quan")
        if chosen is None:
            return web.refuse(request, 200, "Chưa có kế hoạch", "Chưa có kế hoạch nào được nhập.",
                              next_step="Đầu mối tổng hợp gửi tệp kế hoạch (Word, Excel) cho bot, hoặc quản trị chạy "
                                        "«nhacviec import TỆP»; rồi tải lại trang này.")
        return chosen

    async def entry(chosen: Choice, unit_id: int | None, *, detail: bool = True) -> Entry:
        return await config.db.run(cache.entry, plan_id=chosen.plan_id, period_key=chosen.period_key,
                                   unit_id=unit_id, now=config.clock.now(), tz=config.tz, detail=detail)

    async def lines_of(chosen: Choice, viewer: Viewer, unit_id: int | None) -> Summary:
        """The summary a unit's or a task's page reads: the whole plan's when it is cached and still stands
        and the viewer may see it (a unit's own build costs more than slicing the whole one), else the summary
        cut to `unit_id` (a head's or staff member's own unit), else the whole plan's."""
        if viewer.sees_all:
            whole = await config.db.run(cache.fresh, plan_id=chosen.plan_id, period_key=chosen.period_key,
                                        unit_id=None, now=config.clock.now(), tz=config.tz)
            if whole is not None:
                return whole.summary
        return (await entry(chosen, unit_id)).summary

    def forbidden(request: Request, viewer: Viewer) -> Response:
        own = f"/don-vi/{viewer.unit_id}" if viewer.unit_id is not None else "/"
        return web.refuse(request, 403, "Không có quyền xem",
                          f"Tài khoản của bạn chỉ xem được trang của đơn vị mình ({viewer.unit_name or 'chưa gắn'}).",
                          next_step="Mở trang đơn vị của bạn; cần xem đơn vị khác thì nhờ đầu mối tổng hợp.",
                          next_url=own, next_label="Trang đơn vị của bạn")

    def scope_unit(request: Request, viewer: Viewer) -> tuple[int | None, Response | None]:
        """The unit a file or table is cut to: any (or none) for coordinators, always their own for others."""
        asked = _int(request.query_params.get("unit"))
        if viewer.sees_all:
            return asked, None
        if asked is not None and asked != viewer.unit_id:
            return None, forbidden(request, viewer)
        return viewer.unit_id, None

    async def overview(request: Request, viewer: Viewer) -> Response:
        if not viewer.sees_all:
            target = f"/don-vi/{viewer.unit_id}"
            return RedirectResponse(f"{target}?{request.url.query}" if request.url.query else target, 303)
        chosen = await pick(request)
        if isinstance(chosen, Response):
            return chosen
        query, state = request.query_params.get("q", "").strip(), request.query_params.get("state") or None
        # the figures need no line; a search through the overdue lines needs them all
        summary = (await entry(chosen, None, detail=bool(query))).summary
        units = views.filter_units(summary.units, state=state, query=query)
        if summary.detail:
            overdue = views.filter_lines(summary.tasks, status="overdue", query=query)
            overdue_count = len(overdue)
        else:
            overdue, overdue_count = summary.overdue_sample, summary.totals.overdue
        return web.render(request, "overview.html", {
            "summary": summary, "choice": chosen, "units": units[:ROW_LIMIT], "units_count": len(units),
            "overdue": overdue[:100], "overdue_count": overdue_count, "blocker_groups": views.blocker_groups(summary),
            "state": state or "", "q": query, "states": views.STATE_CHOICES, "files": FILE_LABELS,
            "row_limit": ROW_LIMIT,
        })

    async def unit_page(request: Request, viewer: Viewer) -> Response:
        unit_id = int(request.path_params["unit_id"])
        if not viewer.may_see_unit(unit_id):
            return forbidden(request, viewer)
        chosen = await pick(request)
        if isinstance(chosen, Response):
            return chosen
        unit = await config.db.run(lambda session: session.get(Unit, unit_id))
        if unit is None:
            return web.refuse(request, 404, "Không tìm thấy đơn vị", f"Không có đơn vị mã {unit_id}.",
                              next_step="Chọn đơn vị từ trang tổng quan.", next_url="/",
                              next_label="Về trang tổng quan")
        summary = await lines_of(chosen, viewer, unit_id)
        query, status = request.query_params.get("q", "").strip(), request.query_params.get("status") or None
        lines = views.filter_lines(summary.tasks, status=status, query=query, unit_id=unit_id)
        record = next((u for u in summary.units if u.unit_id == unit_id), None)
        versions = await config.db.run(report_versions, period_id=summary.period.id, unit_id=unit_id)
        history: dict[int, list[Any]] = defaultdict(list)
        for version in versions:
            history[version.task_id].append(version)
        return web.render(request, "unit.html", {
            "summary": summary, "choice": chosen, "unit": unit, "record": record,
            "lines": lines[:ROW_LIMIT], "lines_count": len(lines), "versions_by": history, "q": query,
            "status": status or "", "statuses": views.LINE_FILTERS, "files": FILE_LABELS,
            "reading_of": views.version_reading, "sources": views.SOURCE_LABELS, "row_limit": ROW_LIMIT,
        })

    async def task_page(request: Request, viewer: Viewer) -> Response:
        task_id = int(request.path_params["task_id"])
        found = await config.db.run(task_plan, task_id=task_id)
        if found is None:
            return web.refuse(request, 404, "Không tìm thấy nhiệm vụ", f"Không có nhiệm vụ mã {task_id}.",
                              next_step="Chọn nhiệm vụ từ trang đơn vị.", next_url="/", next_label="Về trang chính")
        plan_id, code, title = found
        chosen = await pick(request, plan=plan_id)
        if isinstance(chosen, Response):
            return chosen
        summary = await lines_of(chosen, viewer, None if viewer.sees_all else viewer.unit_id)
        lines = views.filter_lines(summary.tasks, task_id=task_id)
        if not lines and not viewer.sees_all:
            return forbidden(request, viewer)
        versions = await config.db.run(report_versions, period_id=summary.period.id, task_id=task_id,
                                       unit_id=None if viewer.sees_all else viewer.unit_id)
        history: dict[int, list[Any]] = defaultdict(list)
        for version in versions:
            history[version.unit_id].append(version)
        return web.render(request, "task.html", {
            "summary": summary, "choice": chosen, "code": code, "title": title, "task_id": task_id, "lines": lines,
            "versions_by": history, "reading_of": views.version_reading, "sources": views.SOURCE_LABELS,
        })

    async def send_file(entry_: Entry, fmt: str, *, inline: bool = False) -> Response:
        data = await asyncio.to_thread(SummaryCache.file, entry_, fmt, RENDER[fmt])
        stem = file_stem(entry_.summary)
        if entry_.summary.unit_filter is not None:
            stem += f"-don-vi-{entry_.summary.unit_filter}"
        disposition = "inline" if inline else f'attachment; filename="{stem}.{fmt}"'
        return Response(data, media_type=MEDIA[fmt], headers={"Content-Disposition": disposition})

    async def download(request: Request, viewer: Viewer) -> Response:
        return await summary_file(request, viewer, request.path_params["fmt"], inline=False)

    async def chart(request: Request, viewer: Viewer) -> Response:
        return await summary_file(request, viewer, "png", inline=True)

    async def summary_file(request: Request, viewer: Viewer, fmt: str, *, inline: bool) -> Response:
        if fmt not in DOWNLOAD_FORMATS:
            return web.refuse(request, 404, "Không có định dạng này", f"Không có tệp dạng «{fmt}».",
                              next_step="Chọn một trong: xlsx, docx, png, json.", next_url="/",
                              next_label="Về trang chính")
        unit_id, refused = scope_unit(request, viewer)
        if refused is not None:
            return refused
        chosen = await pick(request)
        if isinstance(chosen, Response):
            return chosen
        # the chart draws figures only (the aggregate summary counts its bars); the other files list every line
        return await send_file(await entry(chosen, unit_id, detail=fmt != "png"), fmt, inline=inline)

    async def table(request: Request, viewer: Viewer) -> Response:
        name = request.path_params["name"]
        if name not in views.TABLES:
            return web.refuse(request, 404, "Không có bảng này", f"Không có bảng «{name}».",
                              next_step="Dùng các nút «Tải CSV» trên trang.", next_url="/", next_label="Về trang chính")
        unit_id, refused = scope_unit(request, viewer)
        if refused is not None:
            return refused
        chosen = await pick(request)
        if isinstance(chosen, Response):
            return chosen
        summary = (await entry(chosen, unit_id)).summary
        query = request.query_params
        q, task_id = query.get("q", "").strip(), _int(query.get("task"))
        if name == "units":
            data = views.units_csv(views.filter_units(summary.units, state=query.get("state"), query=q))
        elif name in ("tasks", "overdue"):
            status = "overdue" if name == "overdue" else query.get("status")
            data = views.lines_csv(views.filter_lines(summary.tasks, status=status, query=q, task_id=task_id),
                                   config.tz)
        elif name == "blockers":
            data = views.blockers_csv(summary)
        else:
            versions = await config.db.run(report_versions, period_id=summary.period.id, unit_id=unit_id,
                                           task_id=task_id)
            codes = {line.task_id: line.code for line in summary.tasks}
            units = {line.lead_unit_id: line.lead for line in summary.tasks}
            data = views.versions_csv(versions, codes, units, config.tz)
        stem = f"{file_stem(summary)}-{name}" + (f"-don-vi-{unit_id}" if unit_id is not None else "")
        disposition = f'attachment; filename="{stem}.csv"'
        return Response(data, media_type=MEDIA["csv"], headers={"Content-Disposition": disposition})

    async def signed_download(request: Request) -> Response:
        """A file through a signed link (bot.web.links.download_url): no session needed, nothing else given."""
        try:
            wanted = check_download(secret=config.secret, query=dict(request.query_params), now=config.clock.now())
        except DownloadRefused as exc:
            expired = exc.reason == "expired"
            return web.refuse(request, 410 if expired else 403, "Không tải được tệp",
                              "Đường dẫn tải tệp đã hết hạn." if expired else
                              "Đường dẫn tải tệp không đúng (có thể bị cắt mất một phần khi sao chép).",
                              next_step="Xin đường dẫn mới: gửi /tonghop cho bot, hoặc đăng nhập trang web (/web) "
                                        "và tải tệp ở trang tổng quan.", next_url="/dang-nhap",
                              next_label="Đăng nhập")
        try:
            found = await config.db.run(cache.entry, plan_id=wanted.plan_id, period_key=wanted.period_key,
                                        unit_id=wanted.unit_id, now=config.clock.now(), tz=config.tz)
        except UserError as exc:
            return web.refuse(request, 404, "Không tải được tệp", str(exc),
                              next_step="Xin đường dẫn mới: gửi /tonghop cho bot.", next_url="/dang-nhap",
                              next_label="Đăng nhập")
        return await send_file(found, wanted.fmt)

    return [
        Route("/", signed_in(web, overview), methods=["GET"]),
        Route("/don-vi/{unit_id:int}", signed_in(web, unit_page), methods=["GET"]),
        Route("/nhiem-vu/{task_id:int}", signed_in(web, task_page), methods=["GET"]),
        Route("/tep/{fmt}", signed_in(web, download), methods=["GET"]),
        Route("/bieu-do.png", signed_in(web, chart), methods=["GET"]),
        Route("/bang/{name}.csv", signed_in(web, table), methods=["GET"]),
        Route("/tai", signed_download, methods=["GET"]),
    ]
