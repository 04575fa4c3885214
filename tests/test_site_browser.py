"""The built site in a real browser: headless Chromium, driven through chromedriver.

Both come from the system (Debian's ``chromium`` and ``chromium-driver``); selenium is
given their paths, so nothing downloads a browser. Without them the tests skip, saying
why; CI installs them and sets ``FACTCHECK_REQUIRE_BROWSER``, which turns the skip into a
failure. Screenshots of the index and of a dispute page are saved for people
to look at, in ``$FACTCHECK_SCREENSHOTS`` (default: a temporary directory), and where they
went is printed.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import unicodedata
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.site_fixtures import build_site, hostile_workspace

pytestmark = pytest.mark.browser

REPOSITORY = Path(__file__).resolve().parents[1]
BISHAM = "bisham-attack-planning"


def _executable(*names: str) -> str | None:
    return next((path for name in names if (path := shutil.which(name))), None)


CHROMIUM = _executable("chromium", "chromium-browser")
CHROMEDRIVER = _executable("chromedriver")
if (CHROMIUM is None or CHROMEDRIVER is None) and os.environ.get("FACTCHECK_REQUIRE_BROWSER"):
    raise RuntimeError("FACTCHECK_REQUIRE_BROWSER is set, but chromium or chromedriver is missing")
if CHROMIUM is None or CHROMEDRIVER is None:
    pytest.skip(
        "no chromium and chromedriver on PATH (Debian: apt-get install chromium "
        "chromium-driver); CI installs them",
        allow_module_level=True,
    )

webdriver = pytest.importorskip("selenium.webdriver")
from selenium.common.exceptions import NoAlertPresentException  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"):
        options.add_argument(argument)
    options.add_argument("--window-size=1280,1600")
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    service = webdriver.ChromeService(executable_path=CHROMEDRIVER)
    driver = webdriver.Chrome(options=options, service=service)
    driver.set_page_load_timeout(30)
    try:
        yield driver
    finally:
        driver.quit()


@pytest.fixture(scope="module")
def bundled_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The site of the workspace shipped with the repository."""
    output = tmp_path_factory.mktemp("bundled") / "site"
    result = build_site(REPOSITORY, output)
    # files with errors are left out of the site (and make the exit status 1); the
    # dispute these tests look at must be in it
    assert result.exit_code in (0, 1), result.output
    assert (output / "disputes" / f"{BISHAM}.html").is_file(), result.output
    return output


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("hostile")
    output = base / "site"
    result = build_site(hostile_workspace(base / "workspace"), output)
    assert result.exit_code == 0, result.output
    return output


def open_page(driver, path: Path) -> None:
    driver.get_log("browser")  # forget what earlier pages logged
    driver.get(path.as_uri())


def console_errors(driver) -> list[str]:
    return [entry["message"] for entry in driver.get_log("browser") if entry["level"] == "SEVERE"]


def no_dialog(driver) -> bool:
    try:
        alert = driver.switch_to.alert
    except NoAlertPresentException:
        return True
    alert.dismiss()
    return False


def screenshot_directory() -> Path:
    directory = Path(
        os.environ.get("FACTCHECK_SCREENSHOTS") or tempfile.mkdtemp(prefix="factcheck-shots-")
    )
    directory.mkdir(parents=True, exist_ok=True)
    return directory


def words(text: str) -> str:
    """Text as the quote check compares it: NFC, plain quotes and dashes, single spaces."""
    text = unicodedata.normalize("NFC", text)
    for curly, plain in (("’", "'"), ("‘", "'"), ("“", '"'), ("”", '"'), ("–", "-"), ("—", "-")):
        text = text.replace(curly, plain)
    return " ".join(text.split())


def test_index_shows_the_verdict_table_and_filters_without_script(browser, bundled_site):
    open_page(browser, bundled_site / "index.html")
    rows = browser.find_elements(By.CSS_SELECTOR, "table.verdicts tbody tr")
    assert len(rows) > 10
    assert any(BISHAM in row.text for row in rows)
    assert console_errors(browser) == []
    shots = screenshot_directory()
    browser.save_screenshot(str(shots / "index.png"))
    print(f"screenshots saved in {shots}")

    # the filters are radio buttons and CSS: choosing a side hides the other rows
    label = browser.find_element(By.XPATH, "//fieldset[legend='Side']//label[text()='pakistan']")
    label.click()
    shown = [row for row in rows if row.is_displayed()]
    assert 0 < len(shown) < len(rows)
    assert all("(pakistan)" in row.text for row in shown)
    browser.find_element(By.XPATH, "//fieldset[legend='Side']//label[text()='all']").click()
    assert all(row.is_displayed() for row in rows)


def test_bisham_planning_page_shows_both_positions(browser, bundled_site):
    open_page(browser, bundled_site / "disputes" / f"{BISHAM}.html")
    headings = [
        item.text for item in browser.find_elements(By.CSS_SELECTOR, "table.positions thead th")
    ]
    assert headings == ["Claim", "Counter-claim"]
    table = browser.find_element(By.CSS_SELECTOR, "table.positions")
    # each side's party, linked to its page, and its statement, in its own column
    parties = [
        link.get_attribute("href").rsplit("/", 1)[-1]
        for link in table.find_elements(By.CSS_SELECTOR, "tbody tr:first-child td a")
    ]
    assert parties == ["ispr.html", "afghan-mod.html"]
    statements = table.find_elements(By.CSS_SELECTOR, "td.statement")
    assert len(statements) == 2 and all("Afghanistan" in item.text for item in statements)
    assert "Ministry of Defence" in table.text
    assert browser.find_element(By.ID, "claim").is_displayed()
    assert browser.find_element(By.ID, "counter-claim-1").is_displayed()
    assert console_errors(browser) == []
    shots = screenshot_directory()
    browser.save_screenshot(str(shots / "dispute.png"))
    print(f"screenshots saved in {shots}")


def test_a_quote_link_lands_on_the_highlighted_passage(browser, bundled_site):
    open_page(browser, bundled_site / "disputes" / f"{BISHAM}.html")
    links = browser.find_elements(By.CSS_SELECTOR, "a.quote-link")
    assert len(links) >= 3
    for index in range(len(links)):
        open_page(browser, bundled_site / "disputes" / f"{BISHAM}.html")
        link = browser.find_elements(By.CSS_SELECTOR, "a.quote-link")[index]
        quote = words(link.text)
        link.click()
        assert "/documents/" in browser.current_url
        anchor = browser.current_url.split("#", 1)[1]
        target = browser.find_element(By.ID, anchor)
        assert target.tag_name == "mark"
        assert browser.execute_script(
            "return document.querySelector(':target') === arguments[0]", target
        )
        assert quote.startswith(words(target.text)) and len(target.text) > 10
        top = browser.execute_script("return arguments[0].getBoundingClientRect().top", target)
        assert 0 <= top < browser.execute_script("return window.innerHeight")
        assert console_errors(browser) == []


def test_hostile_text_runs_nothing_and_adds_no_element(browser, hostile_site):
    for path in sorted(hostile_site.rglob("*.html")):
        open_page(browser, path)
        assert no_dialog(browser), path
        injected = browser.execute_script(
            "return document.querySelectorAll("
            '\'img, iframe, textarea, b, script:not([type="application/ld+json"]), '
            '[onerror], [onclick], a[href^="javascript"]\').length'
        )
        assert injected == 0, path
        assert console_errors(browser) == [], path
    open_page(browser, hostile_site / "disputes" / "bridge-closure.html")
    body = browser.find_element(By.TAG_NAME, "body").text
    assert "<script>alert('script')</script>" in body
    assert "<img src=x onerror=alert('img')>" in body
    # the page title shows the markup as text too
    assert "<script>" in browser.title
