"""The "News dedup" dashboard: a FastAPI app that the Airflow plugin mounts on the api-server.

It reads only the published read-only snapshot of the warehouse (`warehouse.reader()`), so an open
dashboard never blocks a load, and it requires Airflow's own credentials (see `auth`).
"""

from __future__ import annotations

from typing import Any

URL_PREFIX = "/newsdedup"
# Tight by default: the page needs inline CSS and nothing else; no script runs, nothing is fetched,
# and only the Airflow UI (same origin) may frame it.
SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; "
                               "form-action 'self'; frame-ancestors 'self'; base-uri 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
}

ICON_SVG = ("<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 24 24' fill='none' stroke='currentColor' "
            "stroke-width='2'><rect x='3' y='4' width='13' height='16' rx='1'/><path d='M8 2h13v16'/>"
            "<path d='M6 9h7M6 13h7M6 17h4'/></svg>")


def create_app() -> Any:
    """The dashboard's FastAPI app (imported lazily: the DAG processor has no use for it)."""
    from newsdedup.dashboard.app import build

    return build()
