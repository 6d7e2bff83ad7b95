"""Signing in with a one-time link, and signing out."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from bot.web.app import SESSION_COOKIE, Web
from storage.web_sessions import WebLinkError, end_session, link_state, redeem_link

NEXT_STEP = ("Gửi /web (hoặc /trangweb) cho bot trong trò chuyện riêng để nhận đường dẫn mới; đường dẫn có hiệu lực "
             "15 phút và chỉ dùng được một lần.")
STATUS = {"unknown": 404, "used": 410, "expired": 410}


def routes(web: Web) -> list[Route]:
    async def sign_in_page(request: Request) -> Response:
        if await web.viewer(request) is not None:
            return RedirectResponse("/", status_code=303)
        return web.render(request, "signin.html", {"signed_out": "ra" in request.query_params})

    def refused(request: Request, reason: str) -> Response:
        return web.refuse(request, STATUS[reason], "Không đăng nhập được", WebLinkError.MESSAGES[reason],
                          next_step=NEXT_STEP, next_url="/dang-nhap", next_label="Xem cách đăng nhập")

    async def link_page(request: Request) -> Response:
        token = request.path_params["token"]
        state = await web.config.db.run(link_state, token=token, now=web.config.clock.now())
        if state != "ok":
            return refused(request, state)
        return web.render(request, "link.html", {"token": token})

    async def use_link(request: Request) -> Response:
        if not await web.csrf_ok(request):
            return web.csrf_refused(request)
        try:
            secret = await web.config.db.run(redeem_link, token=request.path_params["token"],
                                             now=web.config.clock.now(), lifetime=web.config.lifetime)
        except WebLinkError as exc:
            return refused(request, exc.reason)
        response = RedirectResponse("/", status_code=303)
        web.set_session_cookie(response, secret)
        return response

    async def sign_out(request: Request) -> Response:
        if not await web.csrf_ok(request):
            return web.csrf_refused(request)
        token = request.cookies.get(SESSION_COOKIE)
        if token:
            await web.config.db.run(end_session, token=token, now=web.config.clock.now())
        response = RedirectResponse("/dang-nhap?ra=1", status_code=303)
        response.delete_cookie(SESSION_COOKIE, path="/")
        return response

    return [
        Route("/dang-nhap", sign_in_page, methods=["GET"]),
        Route("/vao/{token}", link_page, methods=["GET"]),
        Route("/vao/{token}", use_link, methods=["POST"]),
        Route("/dang-xuat", sign_out, methods=["POST"]),
    ]
