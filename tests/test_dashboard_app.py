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
