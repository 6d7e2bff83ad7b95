"""The web pages in a real browser: Debian's chromium driven by Selenium through Debian's chromedriver
(/usr/bin/chromium, /usr/bin/chromedriver; nothing is downloaded at run time). The app runs under uvicorn
on a free port of the loopback, on SQLite, with a fixed clock.

Without chromium these tests are skipped, with the reason; under CI=true (where .ci/run installs it) they fail.
A screenshot of each page goes to $WEB_SCREENSHOTS when set (else the test's temporary folder).
"""

from __future__ import annotations

import os
import socket
import threading
import time
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
import uvicorn

from bot.web.app import create_app
from storage.database import Database
from tests.web.conftest import Site, make_site

CHROMIUM, CHROMEDRIVER = Path("/usr/bin/chromium"), Path("/usr/bin/chromedriver")
os.environ.setdefault("SE_OFFLINE", "true")  # Selenium Manager must never fetch a browser or a driver


def _missing() -> str | None:
    absent = [str(p) for p in (CHROMIUM, CHROMEDRIVER) if not p.exists()]
    if absent:
        return f"{', '.join(absent)} not installed (apt-get install chromium chromium-driver)"
    try:
        import selenium  # noqa: F401
    except ImportError:
        return "selenium is not installed (pip install -e '.[dev]')"
    return None


@pytest.fixture(autouse=True)
def _chromium() -> None:
    reason = _missing()
    if reason is not None:
        if os.environ.get("CI") == "true":
            pytest.fail(f"browser tests cannot run: {reason}")
        pytest.skip(reason)


@pytest.fixture
def shots(tmp_path: Path) -> Path:
    folder = Path(os.environ.get("WEB_SCREENSHOTS") or tmp_path / "shots")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture
def live(sqlite_db: Database) -> Iterator[tuple[Site, str]]:
    """The app served by uvicorn on a free loopback port; yields the site and its address."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    base = f"http://127.0.0.1:{port}"
    site = make_site(sqlite_db, base_url=base)
    server = uvicorn.Server(uvicorn.Config(create_app(site.config), host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    for _ in range(200):
        if server.started:
            break
        time.sleep(0.05)
    assert server.started, "uvicorn did not start"
    yield site, base
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture
def browser(tmp_path: Path) -> Iterator[Any]:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                 "--window-size=1280,1800", "--lang=vi"):
        options.add_argument(flag)
    downloads = tmp_path / "downloads"
    downloads.mkdir()
    options.add_experimental_option("prefs", {"download.default_directory": str(downloads),
                                              "download.prompt_for_download": False})
    driver = webdriver.Chrome(options=options, service=Service(str(CHROMEDRIVER)))
    driver.downloads = downloads  # type: ignore[attr-defined]
    try:
        yield driver
    finally:
        driver.quit()


def _status(driver: Any, path: str) -> int:
    """The HTTP status the browser gets for `path`, with its own cookies."""
    return int(driver.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "fetch(arguments[0], {redirect: 'manual'}).then(r => done(r.status));", path))


def _follow(driver: Any, element: Any | None) -> None:
    """Click a link or a submit button (None: go back) and wait for the next page: chromedriver's click can
    return before the navigation starts, and a find_element then reads the old page (seen in CI once)."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions
    from selenium.webdriver.support.ui import WebDriverWait

    old = driver.find_element(By.TAG_NAME, "html")
    if element is None:
        driver.back()
    else:
        element.click()
    wait = WebDriverWait(driver, 15)
    wait.until(expected_conditions.staleness_of(old))
    wait.until(lambda d: d.execute_script("return document.readyState") == "complete")


def _sign_in(driver: Any, url: str) -> None:
    from selenium.webdriver.common.by import By

    driver.get(url)
    _follow(driver, driver.find_element(By.ID, "sign-in"))


def _wait_for_file(folder: Path, suffix: str) -> Path:
    for _ in range(200):
        found = [p for p in folder.iterdir() if p.name.endswith(suffix)]
        if found:
            return found[0]
        time.sleep(0.05)
    raise AssertionError(f"no {suffix} file was downloaded into {folder}: {list(folder.iterdir())}")


def test_sign_in_see_the_overview_open_a_unit_and_download_a_file(live: tuple[Site, str], browser: Any,
                                                                  shots: Path) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    site, _base = live
    browser.get(site.link(role="coordinator", unit_id=site.ids["commune"]))
    browser.save_screenshot(str(shots / "01-link.png"))
    _follow(browser, browser.find_element(By.ID, "sign-in"))
    Select(browser.find_element(By.NAME, "period")).select_by_value("2026-Q2")
    _follow(browser, browser.find_element(By.CSS_SELECTOR, "form.filters button[type=submit]"))
    assert "Quý II/2026" in browser.find_element(By.TAG_NAME, "h1").text
    units = browser.find_element(By.ID, "units").text
    assert "Sở Tài chính" in units and "Sở Y tế" in units and "Chưa báo cáo" in units
    chart = browser.find_element(By.CSS_SELECTOR, "img.chart")
    assert browser.execute_script("return arguments[0].complete && arguments[0].naturalWidth", chart) > 0
    browser.save_screenshot(str(shots / "02-overview.png"))

    _follow(browser, browser.find_element(By.LINK_TEXT, "Sở Tài chính"))
    assert browser.find_element(By.TAG_NAME, "h1").text == "Sở Tài chính"
    for summary in browser.find_elements(By.CSS_SELECTOR, "details summary"):
        summary.click()
    assert "Trần Văn Hùng" in browser.page_source and "Chưa được cấp kinh phí" in browser.page_source
    browser.save_screenshot(str(shots / "03-unit.png"))

    _follow(browser, browser.find_element(By.LINK_TEXT, "Xây dựng kho dữ liệu dùng chung"))
    assert "Các đơn vị chủ trì (1)" in browser.page_source
    browser.save_screenshot(str(shots / "04-task.png"))

    _follow(browser, None)
    browser.find_element(By.LINK_TEXT, "Bảng tổng hợp (Excel)").click()
    xlsx = _wait_for_file(browser.downloads, ".xlsx")
    assert xlsx.read_bytes().startswith(b"PK") and "2026-Q2" in xlsx.name


def test_staff_of_one_unit_get_403_on_another_units_page(live: tuple[Site, str], browser: Any, shots: Path) -> None:
    from selenium.webdriver.common.by import By

    site, base = live
    _sign_in(browser, site.link(role="staff", unit_id=site.ids["fin"]))
    assert browser.current_url.startswith(f"{base}/don-vi/{site.ids['fin']}")  # sent to their own unit
    other = f"/don-vi/{site.ids['health']}?period=2026-Q2"
    assert _status(browser, other) == 403
    browser.get(base + other)
    assert browser.find_element(By.TAG_NAME, "h1").text == "Không có quyền xem"
    assert "Sở Y tế" not in browser.find_element(By.TAG_NAME, "main").text
    browser.save_screenshot(str(shots / "05-forbidden.png"))
    _follow(browser, browser.find_element(By.LINK_TEXT, "Trang đơn vị của bạn"))
    assert browser.find_element(By.TAG_NAME, "h1").text == "Sở Tài chính"


def test_a_used_or_expired_link_is_refused(live: tuple[Site, str], browser: Any, shots: Path) -> None:
    from selenium.webdriver.common.by import By

    site, base = live
    url = site.link(role="admin")
    _sign_in(browser, url)
    browser.delete_all_cookies()
    browser.get(url)
    assert "đã được dùng" in browser.find_element(By.TAG_NAME, "main").text
    browser.save_screenshot(str(shots / "06-used-link.png"))
    late = site.link(role="admin")
    site.clock.advance(timedelta(minutes=16))
    browser.get(late)
    text = browser.find_element(By.TAG_NAME, "main").text
    assert "hết hạn" in text and "/web" in text
    assert _status(browser, late.removeprefix(base)) == 410
    browser.save_screenshot(str(shots / "07-expired-link.png"))


def test_without_a_session_only_the_sign_in_page(live: tuple[Site, str], browser: Any, shots: Path) -> None:
    from selenium.webdriver.common.by import By

    site, base = live
    for path in ("/", f"/don-vi/{site.ids['fin']}", "/tep/xlsx"):
        browser.get(base + path)
        assert browser.current_url == f"{base}/dang-nhap", path
    assert browser.find_element(By.TAG_NAME, "h1").text == "Đăng nhập"
    assert "Sở Tài chính" not in browser.page_source
    browser.save_screenshot(str(shots / "08-sign-in.png"))
