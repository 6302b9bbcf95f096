"""The page in a real headless Chromium (Debian's chromium and chromium-driver, through
Selenium), against a uvicorn server the tests start on a free 127.0.0.1 port: an organiser
types a statement, waits for the preview, downloads the kit; an Arabic statement; a batch; a
check of a bad PDF; the keyboard alone; a phone's width.

HANDBILL_SCREENSHOTS=docs/screenshots writes the README's screenshots there."""

from __future__ import annotations

import io
import os
import threading
import time
import urllib.error
import urllib.request
import zipfile
from pathlib import Path

import pytest
import readback

from handbill.web.app import Settings, create_app

from .conftest import ARABIC_TEXT, ARABIC_TITLE, GAZA_TITLE, free_port, need, wait_for_port

URL = "https://example.org/statements/gaza"
WAIT = 60  # seconds any one thing may take


@pytest.fixture(scope="module")
def server():
    """uvicorn in a thread on 127.0.0.1, stopped at the end."""
    import uvicorn

    port = free_port()
    config = uvicorn.Config(create_app(Settings(workers=2)), host="127.0.0.1", port=port, log_level="warning",
                            access_log=False)
    instance = uvicorn.Server(config)
    thread = threading.Thread(target=instance.run, daemon=True)
    thread.start()
    wait_for_port(port, 30)
    yield f"http://127.0.0.1:{port}"
    instance.should_exit = True
    thread.join(timeout=15)


@pytest.fixture(scope="module")
def downloads(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("downloads")


def _chromium(downloads, profile, *, javascript: bool = True):
    chromium = need("chromium", "the page's tests run in a real browser")
    driver_path = need("chromedriver", "Selenium drives Chromium through it (Debian: chromium-driver)")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for argument in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
                     "--disable-background-networking", "--disable-component-update", "--disable-sync",
                     f"--user-data-dir={profile}", "--window-size=1280,1000"):
        options.add_argument(argument)
    options.add_experimental_option("prefs", {"download.default_directory": str(downloads),
                                              "download.prompt_for_download": False,
                                              "profile.managed_default_content_settings.javascript": 1 if javascript else 2})
    driver = webdriver.Chrome(service=Service(executable_path=driver_path), options=options)
    driver.set_page_load_timeout(WAIT)
    return driver


@pytest.fixture(scope="module")
def browser(downloads, tmp_path_factory):
    driver = _chromium(downloads, tmp_path_factory.mktemp("chromium-profile"))
    yield driver
    driver.quit()


def _wait(driver, condition, seconds: float = WAIT):
    from selenium.webdriver.support.ui import WebDriverWait

    return WebDriverWait(driver, seconds, poll_frequency=0.1).until(condition)


def _after_typing(driver) -> None:
    """Wait for the preview of what was typed last: the page sends the form 0.9 s after the
    last key (marking the page busy), and drops any earlier job's answer."""
    time.sleep(1.5)
    _wait(driver, _job_done)


def _job_done(driver):
    return driver.execute_script("return document.body.dataset.job") in ("done", "failed")


def _previews_loaded(driver) -> int:
    return driver.execute_script(
        "const images = [...document.querySelectorAll('#files img')];"
        "return images.length && images.every(i => i.complete && i.naturalWidth > 0) ? images.length : 0;")


def _fill(driver, field: str, text: str) -> None:
    """Type into a field, key by key, as a person would (send_keys)."""
    from selenium.webdriver.common.by import By

    driver.find_element(By.ID, field).send_keys(text)


def _fresh(driver, url: str) -> None:
    driver.get(url)
    driver.execute_script("delete document.body.dataset.job")


def _phone(driver, on: bool) -> None:
    """A phone's screen, 390 x 844 CSS px (headless Chromium's window cannot be narrower than 500)."""
    if on:
        driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                               {"width": 390, "height": 844, "deviceScaleFactor": 1, "mobile": True})
    else:
        driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})


def _screenshot(driver, name: str, *, phone: bool = False, at: str | None = None) -> None:
    """docs/screenshots/<name>.png when HANDBILL_SCREENSHOTS names the folder: the top of the
    page, or from the element `at` down; 1280 px wide, or a phone's 390."""
    folder = os.environ.get("HANDBILL_SCREENSHOTS")
    if not folder:
        return
    _phone(driver, phone)
    if not phone:
        driver.set_window_size(1280, 1400)
    driver.execute_script("document.activeElement.blur();"
                          "const a = arguments[0] && document.querySelector(arguments[0]);"
                          "a ? a.scrollIntoView() : window.scrollTo(0, 0);", at)
    time.sleep(0.4)
    driver.save_screenshot(str(Path(folder) / f"{name}.png"))
    _phone(driver, False)
    driver.set_window_size(1280, 1000)


def test_typing_the_gaza_statement_gives_a_preview_and_a_kit_to_download(browser, server, downloads, gaza_text):
    from selenium.webdriver.common.by import By

    _fresh(browser, server + "/")
    browser.find_element(By.TAG_NAME, "summary").click()  # the more fields
    _fill(browser, "title", GAZA_TITLE)
    _fill(browser, "url", URL)
    _fill(browser, "organisation", "ILPS Asia-Pacific")
    _fill(browser, "text", gaza_text)  # the preview is made a moment after typing stops
    _after_typing(browser)
    assert browser.find_element(By.ID, "state").text == "Done."
    assert _wait(browser, _previews_loaded) == 2
    _screenshot(browser, "build-desktop")
    _screenshot(browser, "build-phone", phone=True)
    _screenshot(browser, "build-phone-preview", phone=True, at="#preview-heading")
    browser.find_element(By.ID, "kit-link").click()
    kit = _wait(browser, lambda _: next(iter(downloads.glob("*-kit.zip")), None))
    _wait(browser, lambda _: not list(downloads.glob("*.crdownload")))
    with zipfile.ZipFile(kit) as archive:
        names = sorted(archive.namelist())
        assert names == ["stop-the-genocide-in-gaza-a3-poster.pdf", "stop-the-genocide-in-gaza-a4-leaflet.pdf"]
        archive.extractall(downloads / "kit")
    for name in names:
        pdf = downloads / "kit" / name
        assert readback.page_count(pdf) == 1
        assert readback.squeeze(GAZA_TITLE).casefold() in readback.squeeze(readback.text(pdf)).casefold()
    leaflet = readback.squeeze(readback.text(downloads / "kit" / names[1]))
    assert readback.squeeze("a global intifada against colonialism and imperialism.") in leaflet  # the last paragraph
    assert readback.squeeze("Palestine will be free!") in leaflet  # and the slogans the text ends with


def test_an_arabic_statement_typed_into_the_page(browser, server, tmp_path):
    from selenium.webdriver.common.by import By

    _fresh(browser, server + "/")
    browser.find_element(By.TAG_NAME, "summary").click()
    _fill(browser, "lang", "ar")
    _fill(browser, "url", URL)
    _fill(browser, "title", ARABIC_TITLE)
    assert browser.find_element(By.ID, "text").get_attribute("dir") == "auto"
    _fill(browser, "text", ARABIC_TEXT)
    _after_typing(browser)
    assert browser.find_element(By.ID, "state").text == "Done.", browser.find_element(By.ID, "general-problems").text
    assert _wait(browser, _previews_loaded) == 2
    link = browser.find_element(By.CSS_SELECTOR, "#files a.download").get_attribute("href")
    pdf = tmp_path / "arabic.pdf"
    pdf.write_bytes(urllib.request.urlopen(link, timeout=WAIT).read())
    assert ARABIC_TITLE.replace(" ", "") in readback.squeeze(readback.text(pdf))


def test_a_mistake_is_shown_beside_its_field(browser, server):
    from selenium.webdriver.common.by import By

    _fresh(browser, server + "/")
    _fill(browser, "text", "A paragraph without a slogan or a title.")
    _after_typing(browser)
    problems = browser.find_element(By.ID, "title-problems")
    assert "title" in problems.text
    assert browser.find_element(By.ID, "title").get_attribute("aria-invalid") == "true"


def test_a_problem_under_more_is_shown_and_a_failed_build_offers_no_download(browser, server):
    """The URL and the logo are under "More" (closed): their problems open it, or the
    organiser reads "Not made. What to change:" and nothing else. The download button is
    hidden (the `hidden` attribute, whatever the stylesheet says) until there is a kit."""
    from selenium.webdriver.common.by import By

    _fresh(browser, server + "/")
    assert not browser.find_element(By.ID, "downloads").is_displayed()
    _fill(browser, "title", "Homes now!")
    _fill(browser, "text", "We meet on the bridge at ten.")
    _after_typing(browser)
    problems = browser.find_element(By.ID, "url-problems")
    assert problems.is_displayed() and "URL" in problems.text
    assert browser.find_element(By.CSS_SELECTOR, "details").get_attribute("open") is not None
    # and under "Not made. What to change:", a link to it
    link = browser.find_element(By.CSS_SELECTOR, "#general-problems a")
    assert link.get_attribute("hash") == "#field-url" and "URL" in link.text
    assert not browser.find_element(By.ID, "downloads").is_displayed()
    assert not browser.find_element(By.ID, "kept").is_displayed()


def test_a_refused_form_clears_the_kit_it_no_longer_describes(browser, server, tmp_path):
    """A form the server refuses (a logo that is no image: 422): the problem beside the logo,
    "Not made", and neither the last preview nor its download left on screen as if it were
    this form's."""
    from selenium.webdriver.common.by import By

    _fresh(browser, server + "/")
    _fill(browser, "title", "Homes now!")
    _fill(browser, "text", "We meet on the bridge at ten.")
    browser.find_element(By.CSS_SELECTOR, "input[value=a6-handbill]").click()
    for name in ("a4-leaflet", "a3-poster"):
        browser.find_element(By.CSS_SELECTOR, f"input[value={name}]").click()
    browser.find_element(By.CSS_SELECTOR, "details summary").click()
    _fill(browser, "url", URL)
    _after_typing(browser)
    assert browser.find_element(By.ID, "downloads").is_displayed()
    logo = tmp_path / "logo.png"
    logo.write_bytes(b"not an image")
    browser.execute_script("delete document.body.dataset.job")
    browser.find_element(By.ID, "logo").send_keys(str(logo))
    _after_typing(browser)
    assert "not an image" in browser.find_element(By.ID, "logo-problems").text
    assert not browser.find_element(By.ID, "downloads").is_displayed()
    assert browser.find_elements(By.CSS_SELECTOR, "#files img") == []


def test_the_keyboard_alone_makes_a_kit(browser, server):
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    def press(*keys):
        ActionChains(browser).send_keys(*keys).perform()

    def focused(attribute: str) -> str:
        return browser.switch_to.active_element.get_attribute(attribute) or ""

    _fresh(browser, server + "/")
    press(Keys.TAB)  # the skip link comes first
    assert focused("class") == "skip"
    for _ in range(20):
        press(Keys.TAB)
        if focused("id") == "title":
            break
    press("Homes now!", Keys.TAB)
    assert focused("id") == "text"
    press("We meet on the bridge at ten.")
    for _ in range(60):
        press(Keys.TAB)
        if focused("type") == "submit":
            break
    assert focused("type") == "submit"
    press(Keys.ENTER)
    _wait(browser, _job_done)
    # no url: the layouts with a QR code say so, beside the URL field
    assert "url" in browser.find_element(By.ID, "url-problems").get_attribute("textContent").lower()


def test_a_phone_width_needs_no_sideways_scrolling(browser, server):
    _phone(browser, True)
    try:
        for page in ("/", "/check", "/batch"):
            browser.get(server + page)
            width = browser.execute_script("return [document.documentElement.scrollWidth, window.innerWidth]")
            assert width == [390, 390], page
    finally:
        _phone(browser, False)


def test_every_field_has_a_label(browser, server):
    for page in ("/", "/check", "/batch"):
        browser.get(server + page)
        unlabelled = browser.execute_script(
            "return [...document.querySelectorAll('input, textarea, select')].filter(f => !f.labels.length)"
            ".map(f => f.id || f.name)")
        assert unlabelled == [], page


def test_a_batch_from_the_page(browser, server, tmp_path, gaza_text):
    from selenium.webdriver.common.by import By

    events = tmp_path / "rallies.csv"
    events.write_text("name,date,time,place\nManila,2024-03-18,10:00,Mendiola\nCebu,2024-03-18,,\n"
                      "Davao,2024-03-19,16:00,Freedom Park\n", encoding="utf-8")
    _fresh(browser, server + "/batch")
    browser.find_element(By.ID, "events").send_keys(str(events))
    _fill(browser, "title", GAZA_TITLE)
    browser.find_element(By.TAG_NAME, "summary").click()
    _fill(browser, "url", URL)
    _fill(browser, "text", gaza_text)
    browser.find_element(By.ID, "layout-a6-handbill").click()
    browser.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    _wait(browser, _job_done)
    assert browser.find_element(By.ID, "state").text == "Done."
    progress = browser.find_element(By.ID, "progress")
    assert progress.get_attribute("value") == progress.get_attribute("max") == "2"
    assert "line 3 (cebu): has no place" in browser.find_element(By.ID, "general-problems").text.lower()
    _screenshot(browser, "batch-desktop")
    link = browser.find_element(By.ID, "kit-link").get_attribute("href")
    with zipfile.ZipFile(io.BytesIO(urllib.request.urlopen(link, timeout=WAIT).read())) as archive:
        assert len(archive.namelist()) == 2


def test_checking_a_bad_pdf_on_the_page(browser, server, tmp_path):
    from reportlab.pdfgen import canvas
    from selenium.webdriver.common.by import By

    bad = tmp_path / "from-canva.pdf"
    page = canvas.Canvas(str(bad), pagesize=(595, 842))
    page.setFillColorRGB(0.9, 0.1, 0.1)
    page.rect(0, 600, 595, 242, fill=1)
    page.setFont("Helvetica", 4)
    page.drawString(40, 500, "Text too small to read, in a font that is not embedded")
    page.save()
    _fresh(browser, server + "/check")
    browser.find_element(By.ID, "pdf").send_keys(str(bad))
    browser.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    _wait(browser, _job_done)
    report = browser.find_element(By.ID, "report")
    assert "Errors a print shop would refuse it for" in browser.find_element(By.ID, "state").text
    assert "RGB" in report.text or "embedded" in report.text
    _wait(browser, lambda driver: driver.execute_script(
        "const i = document.querySelector('#report img'); return i && i.complete && i.naturalWidth > 0"))
    _screenshot(browser, "check-desktop")
    _screenshot(browser, "check-phone", phone=True, at="#report-heading")
    # the page images of their PDF are kept on the server until the organiser deletes them
    image = browser.find_element(By.CSS_SELECTOR, "#report img").get_attribute("src")
    assert urllib.request.urlopen(image, timeout=WAIT).status == 200
    browser.find_element(By.ID, "delete-check").click()
    _wait(browser, lambda driver: driver.find_element(By.ID, "state").text == "Deleted.")
    with pytest.raises(urllib.error.HTTPError) as gone:
        urllib.request.urlopen(image, timeout=WAIT)
    assert gone.value.code == 404
    assert browser.find_elements(By.CSS_SELECTOR, "#report img") == []


def test_the_page_makes_no_request_to_any_other_host(browser, server):
    browser.get(server + "/")
    hosts = browser.execute_script(
        "return performance.getEntriesByType('resource').map(e => new URL(e.name).host)")
    assert set(hosts) <= {server.removeprefix("http://")}
    # and the policy holds: nothing was refused by it
    assert not [entry for entry in browser.get_log("browser") if "Content Security Policy" in entry["message"]]


def test_without_javascript_the_form_still_makes_a_kit(server, downloads, tmp_path_factory):
    from selenium.webdriver.common.by import By

    driver = _chromium(downloads, tmp_path_factory.mktemp("chromium-no-js"), javascript=False)
    try:
        driver.get(server + "/")
        driver.find_element(By.ID, "title").send_keys("Homes now!")
        driver.find_element(By.ID, "text").send_keys("We meet on the bridge at ten.")
        driver.find_element(By.TAG_NAME, "summary").click()
        driver.find_element(By.ID, "url").send_keys(URL)
        driver.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
        # the job's page reloads itself each second until the job is done
        _wait(driver, lambda d: d.find_elements(By.CSS_SELECTOR, "a.download"))
        names = [link.text for link in driver.find_elements(By.CSS_SELECTOR, "a.download")]
        assert names == ["Download homes-now-a3-poster.pdf", "Download homes-now-a4-leaflet.pdf"]
        assert driver.find_element(By.CSS_SELECTOR, "a.button").get_attribute("href").endswith("/kit.zip")
    finally:
        driver.quit()
