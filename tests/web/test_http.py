"""The web pages over HTTP (Starlette's test client), on SQLite and PostgreSQL: sign-in by one-time link,
sessions, roles, CSRF, security headers, the pages, the files and the CSV tables."""

from __future__ import annotations

import csv
import io
import json
from datetime import timedelta

import openpyxl
from sqlmodel import select

from bot.web.links import download_url
from storage.models import Member, ReportingPeriodRow, Task, WebSession
from storage.reports import record_status
from tests.web.conftest import BASE, SECRET, Site, form_csrf, make_site

Q2 = "plan={plan}&period=2026-Q2"


def q2(site: Site) -> str:
    return Q2.format(plan=site.ids["plan"])


def test_without_a_session_every_page_is_the_sign_in_page(site: Site) -> None:
    for path in ("/", f"/don-vi/{site.ids['fin']}", "/nhiem-vu/1", "/tep/xlsx", "/bang/units.csv", "/bieu-do.png"):
        response = site.client.get(path, follow_redirects=False)
        assert response.status_code == 303 and response.headers["location"] == "/dang-nhap", path
    page = site.client.get("/")
    assert page.url.path == "/dang-nhap"
    assert "Gửi <code>/web</code>" in page.text and "nhacviec web link --admin" in page.text
    assert "Sở Tài chính" not in page.text


def test_a_link_signs_in_once_with_safe_cookies_and_headers(site: Site) -> None:
    url = site.link(role="admin")
    assert url.startswith(f"{BASE}/vao/")
    landing = site.client.get(url)
    assert landing.status_code == 200 and 'id="sign-in"' in landing.text
    # the landing page (what a chat app's link preview fetches) does not use the link up
    assert site.client.get(url).status_code == 200
    assert site.client.post(url, data={"csrf": "forged"}, follow_redirects=False).status_code == 403
    done = site.client.post(url, data={"csrf": form_csrf(landing.text)}, follow_redirects=False)
    assert done.status_code == 303 and done.headers["location"] == "/"
    cookie = done.headers["set-cookie"]
    assert "nv_session=" in cookie and "HttpOnly" in cookie and "SameSite=lax" in cookie and "Secure" not in cookie
    headers = done.headers
    assert "frame-ancestors 'none'" in headers["content-security-policy"] and "script-src 'self'" in headers[
        "content-security-policy"]
    assert headers["x-content-type-options"] == "nosniff" and headers["x-frame-options"] == "DENY"
    assert headers["referrer-policy"] == "no-referrer" and headers["cache-control"] == "no-store"
    overview = site.client.get(f"/?{q2(site)}")
    assert overview.status_code == 200 and "Quý II/2026" in overview.text and "Sở Tài chính" in overview.text
    # used: refused with a clear page saying what to do next
    again = site.client.get(url)
    assert again.status_code == 410 and "đã được dùng" in again.text and "/web" in again.text
    used = site.client.post(url, data={"csrf": form_csrf(landing.text)}, follow_redirects=False)
    assert used.status_code == 410


def test_an_expired_or_unknown_link_is_refused(site: Site) -> None:
    url = site.link(role="admin")
    site.clock.advance(timedelta(minutes=15, seconds=1))
    page = site.client.get(url)
    assert page.status_code == 410 and "hết hạn" in page.text and "/trangweb" in page.text
    unknown = site.client.get(f"{BASE}/vao/not-a-real-token")
    assert unknown.status_code == 404 and "không đúng" in unknown.text


def test_over_https_the_cookie_is_secure_and_hsts_is_sent(db) -> None:  # type: ignore[no-untyped-def]
    site = make_site(db, base_url="https://testserver")
    with site.client:
        url = site.link(role="admin")
        landing = site.client.get(url)
        done = site.client.post(url, data={"csrf": form_csrf(landing.text)}, follow_redirects=False)
        assert "Secure" in done.headers["set-cookie"]
        assert done.headers["strict-transport-security"].startswith("max-age=")


def test_idle_sessions_expire_and_sign_out_ends_the_session(site: Site) -> None:
    site.sign_in(role="admin")
    site.clock.advance(timedelta(minutes=59))
    assert site.client.get(f"/?{q2(site)}").url.path == "/"  # activity keeps it open
    site.clock.advance(timedelta(minutes=59))
    assert site.client.get(f"/?{q2(site)}").url.path == "/"
    site.clock.advance(timedelta(minutes=61))
    assert site.client.get("/").url.path == "/dang-nhap"

    site.sign_in(role="admin")
    page = site.client.get(f"/?{q2(site)}")
    token = site.client.cookies.get("nv_session")
    assert site.client.post("/dang-xuat", data={"csrf": "forged"}).status_code == 403
    out = site.client.post("/dang-xuat", data={"csrf": form_csrf(page.text)})
    assert out.url.path == "/dang-nhap" and "Bạn đã đăng xuất" in out.text
    site.client.cookies.set("nv_session", token)  # the old cookie, kept by someone
    assert site.client.get("/", follow_redirects=False).headers["location"] == "/dang-nhap"
    with site.db.session() as session:
        assert session.exec(select(WebSession).where(WebSession.ended_at.is_not(None))).first() is not None


def test_the_overview_shows_states_changes_blockers_and_filters(site: Site) -> None:
    site.sign_in(role="coordinator", unit_id=site.ids["commune"])
    page = site.client.get(f"/?{q2(site)}").text
    assert "Chưa báo cáo" in page and "Sở Y tế" in page  # health retracted its only Q2 report
    assert "Kinh phí" in page and "Chưa được cấp kinh phí" in page  # the blocker, by category
    assert "So với Quý I/2026" in page
    assert 'src="/bieu-do.png?{}"'.format(q2(site).replace("&", "&amp;")) in page
    missing = site.client.get(f"/?{q2(site)}&state=missing").text
    assert "Sở Y tế" in missing and "/don-vi/{}?".format(site.ids["fin"]) not in missing
    search = site.client.get(f"/?{q2(site)}&q=tai chinh").text  # search folds diacritics
    assert "/don-vi/{}?".format(site.ids["fin"]) in search and "/don-vi/{}?".format(site.ids["health"]) not in search
    chart = site.client.get(f"/bieu-do.png?{q2(site)}")
    assert chart.headers["content-type"] == "image/png" and chart.content.startswith(b"\x89PNG")


def test_a_unit_page_shows_each_version_who_when_raw_text_and_reading(site: Site) -> None:
    with site.db.session() as session:
        period = session.exec(select(ReportingPeriodRow).where(ReportingPeriodRow.key == "2026-Q2")).one()
        task = session.exec(select(Task).where(Task.code == "4")).one()
        member = session.exec(select(Member).where(Member.user_id == "201")).one()
        member.display_name = "Lê Thị Mai"
        record_status(session=session, task_id=task.id, unit_id=site.ids["health"], period=period,
                      now=site.clock.now(), today=site.clock.now().date(), status="in_progress", percent=50,
                      raw_text="dang lam 50% du kien xong 20/6", member_id=member.id)
    site.sign_in(role="admin")
    page = site.client.get(f"/don-vi/{site.ids['health']}?{q2(site)}").text
    assert "Sở Y tế" in page and "dang lam 50% du kien xong 20/6" in page and "Lê Thị Mai" in page
    assert "Đang thực hiện 50%" in page and "Lịch sử báo cáo (1 phiên bản)" in page
    fin = site.client.get(f"/don-vi/{site.ids['fin']}?{q2(site)}").text
    assert "Lịch sử báo cáo (2 phiên bản)" in fin and "Trần Văn Hùng" in fin
    assert 'title="Báo cáo không kèm tin nhắn' in fin  # a version with no text of its own says so, not a blank cell
    assert '<td>Vướng mắc: Chưa được cấp kinh phí <span class="badge warn">trễ</span></td>' in fin  # version 2
    overdue = site.client.get(f"/don-vi/{site.ids['health']}?{q2(site)}&status=overdue").text
    assert "Quá hạn" in overdue and "Tập huấn kỹ năng số" in overdue and "Rà soát danh mục" not in overdue


def test_staff_see_their_own_unit_only(site: Site) -> None:
    fin, health = site.ids["fin"], site.ids["health"]
    site.sign_in(role="staff", unit_id=fin)
    home = site.client.get(f"/?{q2(site)}", follow_redirects=False)
    assert home.status_code == 303 and home.headers["location"].startswith(f"/don-vi/{fin}")
    assert site.client.get(f"/don-vi/{fin}?{q2(site)}").status_code == 200
    other = site.client.get(f"/don-vi/{health}?{q2(site)}")
    assert other.status_code == 403 and "Trang đơn vị của bạn" in other.text and "Sở Tài chính" in other.text
    assert site.client.get(f"/tep/xlsx?{q2(site)}&unit={health}").status_code == 403
    assert site.client.get(f"/bang/tasks.csv?{q2(site)}&unit={health}").status_code == 403
    with site.db.session() as session:
        health_task = session.exec(select(Task).where(Task.code == "3")).one().id
    assert site.client.get(f"/nhiem-vu/{health_task}?{q2(site)}").status_code == 403
    rows = list(csv.reader(io.StringIO(site.client.get(f"/bang/tasks.csv?{q2(site)}").content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["Mã", "Nhiệm vụ", "Đơn vị chủ trì"] and {r[2] for r in rows[1:]} == {"Sở Tài chính"}
    book = openpyxl.load_workbook(io.BytesIO(site.client.get(f"/tep/xlsx?{q2(site)}").content))
    cells = " ".join(str(c.value) for sheet in book for row in sheet.iter_rows() for c in row if c.value)
    assert "Xây dựng kho dữ liệu dùng chung" in cells and "Tập huấn kỹ năng số" not in cells  # health's task


def test_files_and_csv_for_coordinators(site: Site) -> None:
    site.sign_in(role="admin")
    for fmt, media, magic in (("xlsx", "spreadsheetml", b"PK"), ("docx", "wordprocessingml", b"PK"),
                              ("png", "image/png", b"\x89PNG"), ("json", "application/json", b"{")):
        response = site.client.get(f"/tep/{fmt}?{q2(site)}")
        assert response.status_code == 200 and media in response.headers["content-type"], fmt
        assert response.content.startswith(magic)
        assert f'filename="tong-hop-125-kh-ubnd-2026-Q2.{fmt}"' in response.headers["content-disposition"]
    data = json.loads(site.client.get(f"/tep/json?{q2(site)}").content)
    assert data["period"]["key"] == "2026-Q2"
    units = site.client.get(f"/bang/units.csv?{q2(site)}")
    assert units.content.startswith("\ufeff".encode())  # Excel reads the diacritics
    table = list(csv.reader(io.StringIO(units.content.decode("utf-8-sig"))))
    assert [r[0] for r in table[1:]] == ["Sở Tài chính", "Sở Y tế"] and table[2][1] == "Chưa báo cáo"
    history = site.client.get(f"/bang/history.csv?{q2(site)}").content.decode("utf-8-sig")
    assert "Chưa được cấp kinh phí" in history and "Đã hoàn tác" in history
    assert site.client.get(f"/bang/nothing.csv?{q2(site)}").status_code == 404
    bad_period = site.client.get(f"/?plan={site.ids['plan']}&period=2031-Q9")
    assert bad_period.status_code == 404 and "không có kỳ báo cáo «2031-Q9»" in bad_period.text


def test_a_task_page_lists_every_lead_unit(site: Site) -> None:
    with site.db.session() as session:
        task = session.exec(select(Task).where(Task.code == "2")).one().id
    site.sign_in(role="admin")
    page = site.client.get(f"/nhiem-vu/{task}?period=2026-Q2")
    assert page.status_code == 200 and "Xây dựng kho dữ liệu dùng chung" in page.text and "Sở Tài chính" in page.text
    assert "Lịch sử báo cáo (2 phiên bản)" in page.text
    assert site.client.get("/nhiem-vu/999999").status_code == 404


def test_signed_download_links_need_no_session_and_expire(site: Site) -> None:
    now = site.clock.now()
    url = download_url(base_url=BASE, secret=SECRET, plan_id=site.ids["plan"], period_key="2026-Q2", fmt="xlsx",
                       now=now, ttl=timedelta(hours=1))
    response = site.client.get(url)
    assert response.status_code == 200 and response.content.startswith(b"PK")
    assert site.client.get(url.replace("f=xlsx", "f=json")).status_code == 403  # another file: signature broken
    other = download_url(base_url=BASE, secret="another-secret-entirely", plan_id=site.ids["plan"],
                         period_key="2026-Q2", fmt="xlsx", now=now)
    assert site.client.get(other).status_code == 403
    site.clock.advance(timedelta(hours=1, seconds=1))
    expired = site.client.get(url)
    assert expired.status_code == 410 and "hết hạn" in expired.text and "/tonghop" in expired.text


def test_pages_are_cached_until_a_report_arrives(site: Site) -> None:
    site.sign_in(role="admin")
    cache = site.config.cache
    site.client.get(f"/?{q2(site)}")
    builds = cache.builds
    site.client.get(f"/?{q2(site)}&state=missing")
    assert cache.builds == builds  # same data: the summary is reused
    with site.db.session() as session:
        period = session.exec(select(ReportingPeriodRow).where(ReportingPeriodRow.key == "2026-Q2")).one()
        task = session.exec(select(Task).where(Task.code == "3")).one()
        record_status(session=session, task_id=task.id, unit_id=site.ids["health"], period=period,
                      now=site.clock.now(), today=site.clock.now().date(), status="done")
    page = site.client.get(f"/?{q2(site)}&state=late").text  # after the cutoff: reported late
    assert cache.builds == builds + 1 and "Sở Y tế" in page


def test_a_members_session_follows_the_member(site: Site) -> None:
    with site.db.session() as session:
        lan = session.exec(select(Member).where(Member.user_id == "101")).one()
    site.sign_in(member_id=lan.id)
    home = site.client.get(f"/?{q2(site)}", follow_redirects=False)
    assert home.headers["location"].startswith(f"/don-vi/{site.ids['fin']}")
    assert "Nguyễn Thị Lan" in site.client.get(home.headers["location"]).text
    with site.db.session() as session:
        member = session.get(Member, lan.id)
        member.active = False
        session.add(member)
    assert site.client.get(f"/don-vi/{site.ids['fin']}", follow_redirects=False).headers["location"] == "/dang-nhap"
