"""The dashboard app's answers outside the page itself (no api-server needed for these)."""

from __future__ import annotations

import warnings

import pytest

from newsdedup.dashboard import SECURITY_HEADERS, create_app

with warnings.catch_warnings():
    # starlette's TestClient on httpx warns of a future change; it still drives the real ASGI app.
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient


@pytest.fixture(scope="module")
def client() -> TestClient:
    return TestClient(create_app())


@pytest.mark.parametrize(("path", "status"), [
    ("/", 401),                     # no credentials
    ("/?source=" + "x" * 300, 401),  # no credentials and a source past its 200 characters
    ("/nowhere", 404),
    ("/icon.svg", 200),
])
def test_every_answer_carries_the_security_headers(client: TestClient, path: str, status: int) -> None:
    """401, 403, 404 and 422 came from FastAPI without the page's headers: a browser could sniff the
    JSON as HTML and any site could frame the answer."""
    r = client.get(path)
    assert r.status_code == status
    for name, value in SECURITY_HEADERS.items():
        if name == "Cache-Control" and path == "/icon.svg":
            value = "max-age=86400"  # the icon holds no data: the nav bar may cache it
        assert r.headers.get(name) == value, name


def test_a_refused_request_still_says_how_to_authenticate(client: TestClient) -> None:
    r = client.get("/", headers={"Authorization": "Basic Zm9vOmJhcg=="})
    assert r.status_code == 401 and "Bearer" in r.headers["www-authenticate"]
    assert "Not authenticated" in r.json()["detail"]


# ------------------------------------------------------------------ a deployment of many sources
def _many_sources(run_dir, n: int) -> dict:  # noqa: ANN001 - a Path
    from datetime import UTC, datetime, timedelta

    from newsdedup import staging

    t0 = datetime(2026, 11, 20, 8, 0, tzinfo=UTC)
    arts, clusters, sents = [], [], []
    for s in range(n):
        source = f"site{s:04d}"
        for k in range(3):
            aid = f"{source}-{k}"
            arts.append({
                "article_id": aid, "url": f"https://{source}.example/{k}", "canonical_url": f"https://{source}.example/{k}",
                "source": source, "title": f"story {k} of {source}", "authors": [], "published_at": t0 + timedelta(hours=k),
                "published_text": None, "updated_at": None, "language": "en", "text": f"story {k} of {source}",
                "word_count": 4, "content_hash": aid, "clean_error": None, "fetched_at": t0 + timedelta(days=1),
                "run_id": "r1", "url_id": aid, "final_url": None, "content_type": "text/html", "http_status": 200,
                "bytes": 10, "sha1": "x", "raw_path": f"{aid}.html.gz"})
            # the second and third story of every source are copies of its first
            clusters.append({"article_id": aid, "cluster_id": f"{source}-0", "decision": "canonical" if k == 0 else "near",
                             "matched_article_id": None if k == 0 else f"{source}-0", "similarity": None if k == 0 else 0.9,
                             "estimated_similarity": None, "skipped": None, "config_fingerprint": "fp", "run_id": "r1"})
            sents.append({"article_id": aid, "position": 0, "sentence_hash": f"{source}-latest", "text": "Latest News",
                          "repeated_within": 1, "repeated_across": 0, "boilerplate": True, "run_id": "r1"})
    staging.write_rows(arts, staging.ARTICLE_SCHEMA, run_dir / "articles" / "x.parquet")
    staging.write_rows(clusters, staging.CLUSTER_SCHEMA, run_dir / "clusters" / "dedup.parquet")
    staging.write_rows(sents, staging.SENTENCE_SCHEMA, run_dir / "sentences" / "dedup.parquet")
    return {"run_id": "r1", "status": "success"}


def test_a_page_over_many_sources_shows_a_bounded_part_and_says_so(tmp_path) -> None:  # noqa: ANN001
    """Thousands of sources drew a bar and a boilerplate row each: a page of megabytes that said
    nothing at a glance. The page shows the sources with the most duplicates and names the rest."""
    import html

    from newsdedup import warehouse as wh
    from newsdedup.dashboard import data, render

    path = tmp_path / "w.duckdb"
    with wh.writer(path) as con:
        wh.load_run(con, tmp_path / "run", _many_sources(tmp_path / "run", 400))
    wh.ensure_snapshot(path)
    d = data.load(path)
    assert d.state == "ok" and len(d.sources) == 400
    assert len(d.per_source) == data.SOURCES_SHOWN < 400 and d.sources_total == 400
    assert len(d.boilerplate) <= data.BOILERPLATE_SHOWN
    page = html.unescape(render.page(d, base="/newsdedup"))
    assert f"{data.SOURCES_SHOWN} of 400 sources" in page
    assert page.count("<tr><td>site") <= data.BOILERPLATE_SHOWN + data.CLUSTERS_SHOWN

    # one source asked for is shown whole, even when it is not among the first
    d = data.load(path, source="site0399")
    assert [r[0] for r in d.per_source] == ["site0399"] and {r[0] for r in d.boilerplate} == {"site0399"}
