"""The "News dedup" page: behind Airflow's own authentication, every title escaped, parameters bound,
and clear messages when there is nothing to show."""

from __future__ import annotations

import html
from pathlib import Path

import hostile_site
import httpx
import pytest
import yaml
from stackenv import INGEST, Env

from newsdedup.dashboard import data, render

pytestmark = [pytest.mark.airflow, pytest.mark.slow]


def _get(env: Env, path: str = "/newsdedup/", **kwargs) -> httpx.Response:
    return httpx.get(env.stack.base_url + path, timeout=60, **kwargs)


def test_anonymous_request_is_refused(loaded: Env) -> None:
    r = _get(loaded)
    assert r.status_code == 401
    assert "Latest story clusters" not in r.text and "Not authenticated" in r.text


def test_forged_or_garbage_token_is_refused(loaded: Env) -> None:
    assert _get(loaded, headers={"Authorization": "Bearer not-a-jwt"}).status_code == 403
    assert _get(loaded, cookies={"_token": "not-a-jwt"}).status_code == 403
    # A well-formed JWT signed with another secret is not Airflow's.
    import jwt

    forged = jwt.encode({"sub": "admin", "aud": "apache-airflow"}, "another-secret-" * 5, algorithm="HS512")
    assert _get(loaded, headers={"Authorization": f"Bearer {forged}"}).status_code in (401, 403)


def test_bearer_token_and_session_cookie_are_accepted(loaded: Env) -> None:
    token = loaded.stack.token()
    by_header = _get(loaded, headers={"Authorization": f"Bearer {token}"})
    by_cookie = _get(loaded, cookies={"_token": token})  # what the browser sends inside the UI's iframe
    assert by_header.status_code == by_cookie.status_code == 200
    assert "Latest story clusters" in by_header.text and "Latest story clusters" in by_cookie.text
    assert "default-src 'none'" in by_header.headers["content-security-policy"]


def test_plugin_adds_a_top_level_nav_entry(loaded: Env) -> None:
    plugins = loaded.stack.api("GET", "/plugins")["plugins"]
    (plugin,) = [p for p in plugins if p["name"] == "newsdedup"]
    (view,) = plugin["external_views"]
    assert view["name"] == "News dedup" and view["nav_top_level"] and view["url_route"] == "newsdedup"
    assert plugin["fastapi_apps"][0]["url_prefix"] == "/newsdedup"


def test_titles_are_escaped(loaded: Env) -> None:
    page = _get(loaded, headers={"Authorization": f"Bearer {loaded.stack.token()}"}).text
    assert html.escape(hostile_site.SCRIPT_TITLE) in page  # shown, as text
    assert "<script" not in page.lower()                     # never as markup
    assert 'alert("pwned")' not in page


def test_a_hostile_revision_is_escaped_in_recently_revised(loaded: Env, tmp_path: Path) -> None:
    """A re-check finds the hostile story revised (markup in its new headline and an appended line): the
    panel shows the headline change and the diff as text, with no link."""
    cfg = yaml.safe_load(Path(loaded.stack.extra_env["NEWSDEDUP_SOURCES"]).read_text(encoding="utf-8"))
    cfg["settings"]["recheck_hours"] = [0]  # this run only (its sources_file param): re-check every article
    rechecking = tmp_path / "sources-recheck.yaml"
    rechecking.write_text(yaml.safe_dump(cfg, sort_keys=False), encoding="utf-8")
    hostile_site.revise_story(loaded.hostile_root)
    try:
        run_id = loaded.stack.trigger(INGEST, conf={"sources_file": str(rechecking)})
        assert loaded.stack.wait_for_run(INGEST, run_id, timeout=600) == "success"
    finally:
        # later runs (default schedule: nothing due yet) see the story as it was
        hostile_site.revise_story(loaded.hostile_root, revised=False)
    text = _get(loaded, headers={"Authorization": f"Bearer {loaded.stack.token()}"}).text
    start = text.index("<h2>Recently revised</h2>")
    section = text[start:text.index("<h2>", start + 10)]
    assert html.escape(hostile_site.REVISED_TITLE) in section             # the new headline, as text
    assert f"<span class='was'>{html.escape(hostile_site.SCRIPT_TITLE)}</span>" in section  # the old one
    assert "&lt;script&gt;document.location=&quot;http://evil.example/&quot;&lt;/script&gt;" in section
    assert "<script" not in text.lower() and "<a " not in section and 'href="javascript' not in text


def test_query_parameters_are_bound(loaded: Env) -> None:
    auth = {"Authorization": f"Bearer {loaded.stack.token()}"}
    evil = _get(loaded, params={"source": "x' OR 1=1 --"}, headers=auth)
    assert evil.status_code == 200
    assert "No story has been carried by more than one article yet" in evil.text  # filtered to nothing
    only = _get(loaded, params={"source": hostile_site.SOURCE}, headers=auth).text
    assert html.escape(hostile_site.SCRIPT_TITLE) in only


def test_missing_warehouse_says_so(tmp_path) -> None:
    page = render.page(data.load(tmp_path / "nothing-here.duckdb"))
    assert "No warehouse yet" in page and "newsdedup_ingest" in page


def test_empty_warehouse_says_so(tmp_path) -> None:
    from newsdedup import warehouse as wh

    path = tmp_path / "empty.duckdb"
    with wh.writer(path):  # migrated, published, no run loaded
        pass
    d = data.load(path)
    assert d.state == "empty"
    assert "The warehouse is empty" in render.page(d)


def test_warehouse_without_snapshot_is_not_opened(tmp_path) -> None:
    from newsdedup import warehouse as wh

    path = tmp_path / "w.duckdb"
    with wh.writer(path):
        pass
    wh.snapshot_path(path).unlink()
    page = render.page(data.load(path))
    assert "No snapshot published yet" in page
    assert not wh.snapshot_path(path).exists()  # the dashboard did not publish one from the writer's file
