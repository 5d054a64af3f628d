"""The dashboard's routes. Every data route requires an Airflow user (`auth.require_user`)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Annotated, Any

from fastapi import Depends, FastAPI, Query, Request
from fastapi.responses import HTMLResponse, Response

from newsdedup.dashboard import ICON_SVG, SECURITY_HEADERS, URL_PREFIX, data, render
from newsdedup.dashboard.auth import require_user

User = Annotated[Any, Depends(require_user)]


def build() -> FastAPI:
    app = FastAPI(title="News dedup dashboard", docs_url=None, redoc_url=None, openapi_url=None)

    @app.middleware("http")
    async def security_headers(request: Request, call_next: Callable[[Request], Awaitable[Response]]) -> Response:
        # Every answer, FastAPI's own 401/403/404/422 included, not only the page: no sniffing of a
        # JSON error as HTML, no framing by another site, nothing cached.
        response = await call_next(request)
        for name, value in SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)
        return response

    @app.get("/", response_class=HTMLResponse)
    def dashboard(user: User, source: Annotated[str | None, Query(max_length=200)] = None) -> HTMLResponse:
        d = data.load(data.dashboard_warehouse(), source=source or None)
        return HTMLResponse(render.page(d, base=URL_PREFIX))  # its headers: the middleware above

    @app.get("/icon.svg")
    def icon() -> Response:
        # Public on purpose: the nav bar loads it; it holds no data.
        return Response(ICON_SVG, media_type="image/svg+xml", headers={"Cache-Control": "max-age=86400"})

    return app
