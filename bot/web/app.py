"""The web app: sign-in by one-time link, sessions in the database, and the pages (`bot.web.pages`).

Security: the session cookie is HttpOnly, SameSite=Lax, and Secure when WEB_BASE_URL is https; every form
carries a CSRF token that must match the `nv_csrf` cookie (double submit; the cookie is HttpOnly too, the
server writes the token into the form); every response carries a strict Content-Security-Policy (no inline
script or style), no framing, no sniffing and no referrer (a sign-in link's token never leaks to another
site), and pages are not cached. A sign-in link is opened with GET (a link preview in a chat app only sees
a button) and used with POST.
"""

from __future__ import annotations

import hmac
import secrets
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.applications import Starlette
from starlette.datastructures import MutableHeaders
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import Mount
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from bot.base.clock import Clock
from bot.summary import labels
from bot.web.cache import SummaryCache
from bot.web.views import local_time
from storage.database import Database
from storage.web_sessions import Viewer, load_viewer

HERE = Path(__file__).parent
SESSION_COOKIE = "nv_session"
CSRF_COOKIE = "nv_csrf"
ROLE_LABELS = {"staff": "Cán bộ", "head": "Lãnh đạo đơn vị", "coordinator": "Đầu mối tổng hợp", "admin": "Quản trị"}
CSP = ("default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; object-src 'none'; "
       "frame-ancestors 'none'; form-action 'self'; base-uri 'none'")


@dataclass
class WebConfig:
    """What the app needs: the database, the clock, the zone, its public address and the link secret."""

    db: Database
    clock: Clock
    tz: ZoneInfo
    base_url: str
    secret: str
    idle: timedelta = timedelta(minutes=60)
    lifetime: timedelta = timedelta(hours=12)
    cache: SummaryCache = field(default_factory=SummaryCache)

    @property
    def https(self) -> bool:
        return self.base_url.startswith("https://")


class SecurityHeaders:
    """Adds the security headers to every response (pure ASGI: streaming and file responses included)."""

    def __init__(self, app: ASGIApp, *, https: bool) -> None:
        self.app = app
        self.headers = {
            "Content-Security-Policy": CSP,
            "X-Content-Type-Options": "nosniff",
            "X-Frame-Options": "DENY",
            "Referrer-Policy": "no-referrer",
            "Cross-Origin-Opener-Policy": "same-origin",
            "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
        }
        if https:
            self.headers["Strict-Transport-Security"] = "max-age=31536000"

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in self.headers.items():
                    headers.setdefault(name, value)
                headers.setdefault("Cache-Control", "no-store")
            await send(message)

        await self.app(scope, receive, send_with_headers)


class Web:
    """The app's shared parts: configuration, templates, and the helpers every page uses."""

    def __init__(self, config: WebConfig) -> None:
        self.config = config
        self.templates = Environment(loader=FileSystemLoader(HERE / "templates"),
                                     autoescape=select_autoescape(("html",)), trim_blocks=True, lstrip_blocks=True)
        self.templates.globals.update(role_label=ROLE_LABELS.get)
        self.templates.filters.update(
            vn_date=labels.vn_date, percent=labels.percent, status_label=labels.status_label,
            unit_state_label=labels.unit_state_label, reading=labels.reading, overdue_label=labels.overdue_label,
            deadline_text=labels.deadline_text, signed_points=labels.signed_points,
            local_time=lambda when: local_time(when, config.tz), thousands=lambda n: f"{n:,}".replace(",", "."),
        )

    # --- responses ---

    def render(self, request: Request, name: str, context: dict[str, Any], *, status: int = 200) -> HTMLResponse:
        token = request.cookies.get(CSRF_COOKIE) or getattr(request.state, "csrf", None) or secrets.token_urlsafe(24)
        request.state.csrf = token
        html = self.templates.get_template(name).render(csrf=token, viewer=getattr(request.state, "viewer", None),
                                                        **context)
        response = HTMLResponse(html, status_code=status)
        if request.cookies.get(CSRF_COOKIE) != token:
            response.set_cookie(CSRF_COOKIE, token, httponly=True, samesite="lax", secure=self.config.https, path="/")
        return response

    def refuse(self, request: Request, status: int, title: str, message: str, *, next_step: str,
               next_url: str | None = None, next_label: str | None = None) -> HTMLResponse:
        """A clear page saying what went wrong and what to do next (never a dead end)."""
        return self.render(request, "refused.html", {"title": title, "message": message, "next_step": next_step,
                                                     "next_url": next_url, "next_label": next_label},
                           status=status)

    def set_session_cookie(self, response: Response, token: str) -> None:
        response.set_cookie(SESSION_COOKIE, token, max_age=int(self.config.lifetime.total_seconds()), httponly=True,
                            samesite="lax", secure=self.config.https, path="/")

    # --- requests ---

    async def viewer(self, request: Request) -> Viewer | None:
        token = request.cookies.get(SESSION_COOKIE)
        if not token:
            return None
        return await self.config.db.run(load_viewer, token=token, now=self.config.clock.now(),
                                        idle=self.config.idle)

    async def csrf_ok(self, request: Request) -> bool:
        form = await request.form()
        sent, cookie = form.get("csrf"), request.cookies.get(CSRF_COOKIE)
        return isinstance(sent, str) and bool(cookie) and hmac.compare_digest(sent, cookie or "")

    def csrf_refused(self, request: Request) -> HTMLResponse:
        return self.refuse(request, 403, "Biểu mẫu không hợp lệ",
                           "Biểu mẫu này không gửi kèm mã bảo vệ đúng (có thể trang đã mở quá lâu, hoặc yêu cầu "
                           "đến từ một trang khác).", next_step="Tải lại trang rồi thử lại.", next_url="/",
                           next_label="Về trang chính")


Page = Callable[[Request, Viewer], Awaitable[Response]]


def signed_in(web: Web, page: Page) -> Callable[[Request], Awaitable[Response]]:
    """A page for signed-in viewers only: without an open session, the sign-in page and nothing else."""

    async def endpoint(request: Request) -> Response:
        viewer = await web.viewer(request)
        if viewer is None:
            response = RedirectResponse("/dang-nhap", status_code=303)
            if request.cookies.get(SESSION_COOKIE):
                response.delete_cookie(SESSION_COOKIE, path="/")
            return response
        request.state.viewer = viewer
        return await page(request, viewer)

    return endpoint


def create_app(config: WebConfig) -> ASGIApp:
    """The ASGI app (Starlette, wrapped in the security headers)."""
    from bot.web import pages, signin

    web = Web(config)
    routes = [
        *signin.routes(web),
        *pages.routes(web),
        Mount("/static", StaticFiles(directory=HERE / "static"), name="static"),
    ]

    async def not_found(request: Request, exc: Exception) -> Response:
        status = exc.status_code if isinstance(exc, HTTPException) else 404
        if status == 405:
            return web.refuse(request, 405, "Không thực hiện được", "Trang này không nhận thao tác đó.",
                              next_step="Quay lại trang chính.", next_url="/", next_label="Về trang chính")
        return web.refuse(request, 404, "Không tìm thấy trang", "Không có trang ở địa chỉ này.",
                          next_step="Quay lại trang chính và chọn từ danh sách.", next_url="/",
                          next_label="Về trang chính")

    async def server_error(request: Request, exc: Exception) -> Response:
        return web.refuse(request, 500, "Có lỗi khi tạo trang",
                          "Xin lỗi, máy chủ gặp lỗi khi tạo trang này. Dữ liệu không bị thay đổi.",
                          next_step="Thử lại sau ít phút; nếu vẫn lỗi, báo cho quản trị hệ thống.", next_url="/",
                          next_label="Về trang chính")

    app = Starlette(routes=routes, exception_handlers={404: not_found, 405: not_found, 500: server_error})
    app.state.web = web
    return SecurityHeaders(app, https=config.https)

