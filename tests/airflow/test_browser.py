"""Headless Chromium signs in through the Airflow UI's login form and opens "News dedup": the
dashboard renders inside the UI's iframe with the story clusters and a drawn chart, and the hostile
title stays text. Screenshots are kept in build/ (CI artifacts)."""

from __future__ import annotations

import pytest
from browser import Browser
from hostile_site import SCRIPT_TITLE
from stackenv import Env

from newsdedup import warehouse as wh
from newsdedup.config import PROJECT_ROOT

pytestmark = [pytest.mark.airflow, pytest.mark.slow]
BUILD = PROJECT_ROOT / "build"

# Reads the dashboard out of the UI's iframe (same origin, so the DOM is reachable).
IFRAME_STATE = """(() => {
  const f = document.querySelector('iframe');
  const d = f && f.contentDocument;
  if (!d || !d.querySelector('#clusters')) return null;
  const bars = [...d.querySelectorAll('#chart-daily rect.bar')];
  return {src: f.getAttribute('src'),
          titles: [...d.querySelectorAll('.cluster-title')].map(e => e.textContent),
          bars: bars.length,
          drawn: bars.filter(b => { const r = b.getBBox(); return r.width > 0 && r.height > 0; }).length,
          sourceBars: d.querySelectorAll('#chart-sources rect.bar').length,
          scripts: d.querySelectorAll('script').length,
          text: d.body.innerText};
})()"""

EXPAND_FIRST_CLUSTER = """(() => {
  const d = document.querySelector('iframe').contentDocument;
  const det = d.querySelector('details.cluster');
  det.querySelector('summary').click();
  const rows = [...det.querySelectorAll('tr')].filter(r => r.offsetHeight > 0);
  return {open: det.open, visibleRows: rows.length};
})()"""


@pytest.fixture(scope="module")
def browser(loaded: Env, tmp_path_factory: pytest.TempPathFactory):
    b = Browser(tmp_path_factory.mktemp("chromium-profile"))
    try:
        yield b
    finally:
        b.close()


def test_dashboard_renders_inside_the_airflow_ui(loaded: Env, browser: Browser) -> None:
    # Not logged in yet: the UI sends us to its login form; sign in as a user would.
    browser.call("Page.navigate", url=loaded.stack.base_url + "/plugin/newsdedup")
    assert browser.wait_for("!!document.querySelector('input[name=username]')"), \
        browser.evaluate("location.href + ' ' + document.body.innerText")[:2000]
    for name, value in (("username", loaded.stack.username), ("password", loaded.stack.password)):
        browser.evaluate(f"document.querySelector('input[name={name}]').focus()")
        browser.call("Input.insertText", text=value)
    browser.evaluate("document.querySelector('button[type=submit]').click()")
    if not browser.wait_for("location.pathname.startsWith('/plugin/newsdedup')"):
        browser.call("Page.navigate", url=loaded.stack.base_url + "/plugin/newsdedup")
    state = browser.wait_for(IFRAME_STATE)
    assert state, f"the dashboard did not render in the UI's iframe; page text: {browser.evaluate('document.body.innerText')[:2000]}"
    assert state["src"].rstrip("/").endswith("/newsdedup")
    canonical = [r[0] for r in wh.query_rows(loaded.warehouse, "SELECT canonical_title FROM story_cluster_view")[1]]
    assert 0 < len(canonical) <= 15  # the page shows the 15 latest: here, all of them
    titles = set(state["titles"])
    assert all(t in titles for t in canonical if t), (canonical, state["titles"])
    assert SCRIPT_TITLE in titles  # rendered as text, exactly as published
    assert state["scripts"] == 0   # and no script element came with it
    assert state["bars"] > 0 and state["drawn"] == state["bars"] and state["sourceBars"] > 0
    expanded = browser.evaluate(EXPAND_FIRST_CLUSTER)
    assert expanded["open"] and expanded["visibleRows"] >= 3  # header + at least two members
    assert not [e for e in browser.events if e.get("method") == "Page.javascriptDialogOpening"]
    browser.screenshot(BUILD / "dashboard-in-airflow-ui.png")


def test_dashboard_page_full_screenshot(loaded: Env, browser: Browser) -> None:
    browser.call("Page.navigate", url=loaded.stack.base_url + "/newsdedup/")
    assert browser.wait_for("document.querySelectorAll('#chart-daily rect.bar').length")
    browser.evaluate("document.querySelector('details.cluster').open = true")
    shot = browser.screenshot(BUILD / "dashboard.png", full_page=True)
    assert shot.stat().st_size > 10_000
