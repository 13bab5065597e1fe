"""The workbench in a real headless Chromium (Debian's `chromium` and `chromium-driver`, driven by
Selenium): write a query with completion, run it, sort it, run a saved query with a parameter,
open an entity page with its evidence, and download a drawing."""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from _serve import serving

webdriver = pytest.importorskip("selenium.webdriver")
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.common.keys import Keys  # noqa: E402
from selenium.webdriver.support import expected_conditions as ec  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402

CHROMIUM, DRIVER = shutil.which("chromium"), shutil.which("chromedriver")
pytestmark = pytest.mark.skipif(not (CHROMIUM and DRIVER), reason="needs chromium and chromium-driver "
                                "(scripts/system-deps.sh --test installs them)")


@pytest.fixture(scope="module")
def base(seeds_store: Path) -> Iterator[str]:
    with serving(seeds_store, "--workers", "2") as url:
        yield url


@pytest.fixture(scope="module")
def downloads(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("downloads")


@pytest.fixture(scope="module")
def browser(downloads: Path) -> Iterator[webdriver.Chrome]:
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                     "--window-size=1280,900"):
        options.add_argument(argument)
    options.add_experimental_option("prefs", {"download.default_directory": str(downloads),
                                              "download.prompt_for_download": False})
    driver = webdriver.Chrome(service=Service(DRIVER), options=options)
    driver.implicitly_wait(0)
    try:
        yield driver
    finally:
        driver.quit()


def wait(driver: webdriver.Chrome, condition: object, seconds: float = 30) -> object:
    return WebDriverWait(driver, seconds).until(condition)


def screenshot(driver: webdriver.Chrome, path: Path) -> None:
    """Saved in the test's folder; also in $KG_SCREENSHOT_DIR when set (the README's picture)."""
    driver.save_screenshot(str(path))
    target = os.environ.get("KG_SCREENSHOT_DIR")
    if target:
        shutil.copy(path, Path(target) / path.name)


def test_write_a_query_with_completion_run_and_sort_it(browser: webdriver.Chrome, base: str, tmp_path: Path) -> None:
    browser.get(base + "/")
    editor = wait(browser, ec.element_to_be_clickable((By.ID, "query")))
    editor.send_keys(Keys.CONTROL, "a")
    editor.send_keys(Keys.DELETE)
    editor.send_keys("SELECT ?official ?country WHERE {\n  ?official a kg:Offi")
    menu = wait(browser, ec.visibility_of_element_located((By.ID, "completions")))
    assert "kg:Official" in menu.text
    editor.send_keys(Keys.TAB)
    assert "a kg:Official " in editor.get_attribute("value")
    editor.send_keys("; kg:represents ?country }")
    highlighted = browser.find_element(By.CSS_SELECTOR, "#highlight .tok-kw").text
    assert highlighted == "SELECT"
    editor.send_keys(Keys.CONTROL, Keys.ENTER)
    table = wait(browser, ec.visibility_of_element_located((By.ID, "result-table")))
    assert browser.find_element(By.ID, "result-count").text.startswith("4 rows")
    names = [a.text for a in table.find_elements(By.CSS_SELECTOR, "tbody tr td:first-child a")]
    assert sorted(names) == ["Bede Corry", "Christopher Landau", "Jonathan Coleman", "Leon Panetta"]
    table.find_element(By.CSS_SELECTOR, "th[data-col='0']").click()
    table.find_element(By.CSS_SELECTOR, "th[data-col='0']").click()  # twice: descending
    names = [a.text for a in table.find_elements(By.CSS_SELECTOR, "tbody tr td:first-child a")]
    assert names == ["Leon Panetta", "Jonathan Coleman", "Christopher Landau", "Bede Corry"]
    countries = {a.text for a in table.find_elements(By.CSS_SELECTOR, "tbody tr td:nth-child(2) a")}
    assert countries == {"New Zealand", "United States"}  # labels, not IRIs
    screenshot(browser, tmp_path / "workbench-query.png")


def test_saved_query_with_a_parameter_then_the_entity_page(browser: webdriver.Chrome, base: str, tmp_path: Path,
                                                          downloads: Path) -> None:
    browser.get(base + "/saved")
    form = wait(browser, ec.visibility_of_element_located((By.ID, "saved-officials-of-country")))
    form.find_element(By.NAME, "country").send_keys("New Zealand")
    form.find_element(By.TAG_NAME, "button").click()
    wait(browser, ec.url_contains("/saved/officials-of-country?country=New+Zealand"))
    table = wait(browser, ec.visibility_of_element_located((By.ID, "result-table")))
    names = {td.text for td in table.find_elements(By.CSS_SELECTOR, "tbody td:first-child")}
    assert names == {"Jonathan Coleman", "Bede Corry"}

    find = browser.find_element(By.CSS_SELECTOR, "header .find input")
    find.send_keys("Jonathan Coleman", Keys.ENTER)

    wait(browser, ec.text_to_be_present_in_element((By.ID, "entity-label"), "Jonathan Coleman"))
    quotes = [td.text for td in browser.find_elements(By.CSS_SELECTOR, "#facts td.quote")]
    assert any("Defence Minister Jonathan Coleman" in q for q in quotes)
    articles = [a.text for a in browser.find_elements(By.CSS_SELECTOR, "#facts td:nth-child(4) a")]
    assert any(articles)
    wait(browser, ec.presence_of_element_located((By.CSS_SELECTOR, "#drawing svg")))
    node_links = browser.execute_script(
        "return Array.from(document.querySelectorAll('#drawing svg a'), a => a.getAttribute('xlink:href'))")
    assert any(link.startswith("/entity?iri=") for link in node_links if link)
    screenshot(browser, tmp_path / "workbench-entity.png")

    browser.find_element(By.ID, "download-entity-svg").click()
    deadline = time.monotonic() + 30
    while not list(downloads.glob("drawing*.svg")) and time.monotonic() < deadline:
        time.sleep(0.1)
    drawn = list(downloads.glob("drawing*.svg"))
    assert drawn, "the drawing was not downloaded"
    assert "<svg" in drawn[0].read_text(encoding="utf-8") and "Jonathan Coleman" in drawn[0].read_text(encoding="utf-8")

    # A click on a node of the drawing opens that entity's page.
    browser.find_element(By.CSS_SELECTOR, "#drawing svg a[*|href*='country%2FNZL'] text").click()
    wait(browser, ec.text_to_be_present_in_element((By.ID, "entity-label"), "New Zealand"))


def test_a_bad_query_shows_the_position(browser: webdriver.Chrome, base: str) -> None:
    browser.get(base + "/?query=SELECT%20%3Fs%20WHERE%20%7B%20%3Fs%20a%20%7D")
    error = wait(browser, ec.visibility_of_element_located((By.ID, "error")))
    assert "line 1, column" in error.text and "^" in error.text
