"""JupyterLab in a real browser: each notebook opens and shows its stored tables and figures.

Starts ``jupyter lab`` on 127.0.0.1 with a token and drives Debian's Chromium
(``/usr/bin/chromium``) with Playwright; no browser is downloaded. JupyterLab loads once in one
page; each notebook test closes every document and opens its notebook alone. Screenshots
go to ``reports/screenshots/``. Without Chromium or Playwright the test is
skipped, unless ``EVIDENCE_REQUIRE_BROWSER=1`` (set by ``.ci/run``), where it
fails instead.
"""

from __future__ import annotations

import json
import os
import secrets
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from conftest import REPO

pytestmark = pytest.mark.browser

CHROMIUM = os.environ.get("EVIDENCE_CHROMIUM", "/usr/bin/chromium")
# Debian's Chromium, headless, as root, opening nothing but the pages it is given
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--disable-quic"]
NOTEBOOKS = sorted((REPO / "notebooks").glob("[0-9][0-9]-*.ipynb"))
# what must be visible in each notebook: a table cell and whether a figure is shown
EXPECT = {
    "01-search": ("efetch", False),
    "02-records": ("9758075", False),
    "03-designs": ("systematic_review", True),
    "04-effects-meta": ("acupuncture_vs_sham", True),
    "05-claims": ("tth_frequency", False),
    "06-update": ("35732505", False),  # a record the rehearsed update brings in (its diff)
}


def _missing_browser() -> str | None:
    if not Path(CHROMIUM).exists():
        return f"no Chromium at {CHROMIUM} (apt-get install chromium)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "the playwright package is not installed"
    return None


def _skip_without_browser() -> None:
    reason = _missing_browser()
    if reason:
        if os.environ.get("EVIDENCE_REQUIRE_BROWSER") == "1":
            pytest.fail(f"EVIDENCE_REQUIRE_BROWSER=1 but {reason}")
        pytest.skip(reason)


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    _skip_without_browser()
    home = tmp_path_factory.mktemp("jupyter")
    # empty user settings: what the lab shows comes from the project's shipped overrides
    # (jupyter/overrides.d/evidence.json, installed by `make install`): no news pop-up
    (home / "settings").mkdir()
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    token = secrets.token_hex(16)
    env = dict(os.environ, JUPYTERLAB_SETTINGS_DIR=str(home / "settings"),
               JUPYTERLAB_WORKSPACES_DIR=str(home / "workspaces"), JUPYTER_RUNTIME_DIR=str(home / "runtime"))
    cmd = [sys.executable, "-m", "jupyter", "lab", "--no-browser", "--ip=127.0.0.1", f"--port={port}",
           f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={REPO}", "--allow-root",
           "--ServerApp.disable_check_xsrf=False", "--ServerApp.log_level=WARN",
           # window.jupyterapp: the page opens each notebook as the file browser does (lab_page)
           "--LabApp.expose_app_in_browser=True"]
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            with urllib.request.urlopen(f"{base}/api/status?token={token}", timeout=2):
                break
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                proc.kill()
                pytest.fail(f"jupyter lab did not start: {proc.stderr.read()[-2000:]}")
            time.sleep(0.5)
    yield base, token
    proc.terminate()
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        proc.kill()


@pytest.fixture(scope="module")
def chromium():
    """One Chromium for the module (Playwright's sync API runs one instance per thread)."""
    _skip_without_browser()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture(scope="module")
def lab_page(lab, chromium):
    """One JupyterLab page for the notebook tests: the app loads once (each load took about 5 s of
    the browser's time, most of each notebook test), in a workspace of its own, reset."""
    base, token = lab
    page = chromium.new_page(viewport={"width": 1400, "height": 1000})
    page.goto(f"{base}/lab/workspaces/evidence-test?reset&token={token}", timeout=60_000)
    page.wait_for_function("() => window.jupyterapp !== undefined", timeout=90_000)
    page.evaluate("async () => { await window.jupyterapp.restored; }")
    yield page
    page.close()


#: Close every document, then open the notebook as a double click in the file browser does.
OPEN_ALONE = """async path => {
    const app = window.jupyterapp;
    await app.commands.execute("application:close-all");
    await app.commands.execute("docmanager:open", {path});
}"""


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=[n.stem for n in NOTEBOOKS])
def test_notebook_renders_in_jupyterlab(lab_page, notebook):
    text, has_figure = EXPECT[notebook.stem]
    page = lab_page
    path = f"notebooks/{notebook.name}"
    # only this notebook is open: no document from an earlier test
    page.evaluate(OPEN_ALONE, path)
    page.wait_for_selector(".jp-Notebook .jp-OutputArea-output", state="attached", timeout=90_000)
    assert page.evaluate("() => window.jupyterapp.shell.currentWidget.context.path") == path
    assert page.locator(".jp-NotebookPanel").count() == 1
    page.get_by_text(text, exact=False).first.wait_for(state="attached", timeout=30_000)
    # scroll the first match into view: visible, not just present in the DOM
    match = page.locator(".jp-OutputArea-output", has_text=text).first
    match.scroll_into_view_if_needed(timeout=30_000)
    assert match.is_visible()
    if has_figure:
        image = page.locator(".jp-OutputArea-output img").first
        image.scroll_into_view_if_needed(timeout=30_000)
        assert image.is_visible()
        box = image.bounding_box()
        assert box and box["width"] > 100 and box["height"] > 100
    # the news question is not asked (it pops up in the lower right corner over the screenshot)
    assert page.get_by_text("notified about official Jupyter news").count() == 0
    shots = REPO / "reports" / "screenshots"
    shots.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(shots / f"{notebook.stem}.png"))


def test_there_are_notebooks_to_open():
    assert [n.stem for n in NOTEBOOKS] == list(EXPECT)


def test_lab_has_the_projects_news_settings(lab):
    # the settings JupyterLab serves, as the browser reads them: news and update checks off
    base, token = lab
    url = f"{base}/lab/api/settings/@jupyterlab/apputils-extension:notification?token={token}"
    with urllib.request.urlopen(url, timeout=30) as answer:
        defaults = json.load(answer)["schema"]["properties"]
    # overrides change the defaults JupyterLab applies when the user has set nothing
    assert defaults["fetchNews"]["default"] == "false"
    assert defaults["checkForUpdates"]["default"] is False


# -- the claims report in Chromium (issue 17): both languages, at 1280x800 -------------------------
@pytest.fixture(scope="module")
def report_pages_built(request):
    _skip_without_browser()  # first: without a browser, no run is made for these tests
    from report_pages import report_pages

    # the pages of the session's `evidence run` (conftest.py), shared read only
    return report_pages(request.getfixturevalue("workbook_run").out)


@pytest.mark.parametrize("lang", ["en", "nl"])
def test_report_page_reads_in_chromium(report_pages_built, chromium, lang):
    import re
    from urllib.parse import unquote

    from report_pages import PMID, codes_in

    screen = {"width": 1280, "height": 800}
    page = chromium.new_page(viewport=screen)
    try:
        page.goto(report_pages_built[lang].as_uri())
        assert page.evaluate("document.documentElement.lang") == lang
        # the first claim's references: on screen within the first two screens, not folded away
        first = page.locator("section.claim").first.locator("ol.refs li").first
        box = first.bounding_box()
        assert first.is_visible() and box and 0 < box["y"] + box["height"] <= 2 * screen["height"]
        # no sideways scrolling at this width
        assert page.evaluate("document.documentElement.scrollWidth") <= screen["width"]
        claims = page.locator("section.claim").all()
        assert len(claims) == 9
        for section in claims:
            claim_id = section.get_attribute("id")
            named = set(PMID.findall(section.locator("details.why").text_content()))
            listed = section.locator("ol.refs li").evaluate_all("items => items.map(li => li.dataset.pmid)")
            assert named <= set(listed), (claim_id, sorted(named - set(listed)))
            if listed:
                href = section.locator(f'a[download="{claim_id}.ris"]').get_attribute("href")
                ris = unquote(href.split(",", 1)[1])
                assert sorted(re.findall(r"^AN  - (\d+)", ris, flags=re.M)) == sorted(listed), claim_id
        # each figure is embedded and decoded by the browser
        images = page.locator("img").evaluate_all("imgs => imgs.map(i => [i.src.slice(0, 22), i.naturalWidth])")
        # every figure the run wrote (figures/*.png: evidence map, PRISMA, RoB 2, the plan's forests)
        written = sorted((report_pages_built[lang].parent / "figures").glob("*.png"))
        assert len(written) >= 8 and len(images) == len(written)
        assert all(src == "data:image/png;base64," and width > 100 for src, width in images)
        # no code name in the text people read, with every fold opened
        page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
        assert codes_in(page.inner_text("body")) == []
        page.evaluate("document.querySelectorAll('details').forEach(d => d.open = false)")
        shots = REPO / "reports" / "screenshots"
        shots.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(shots / f"report-{lang}.png"))
    finally:
        page.close()
