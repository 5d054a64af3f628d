"""Airflow plugin: a top-level "News dedup" page in the Airflow UI.

The dashboard is a FastAPI app (`newsdedup.dashboard`) mounted on the api-server under /newsdedup;
the external view shows it inside the UI (an iframe at /plugin/newsdedup). The app checks Airflow's
credentials itself: the api-server does not protect plugin apps.
"""

from __future__ import annotations

from airflow.plugins_manager import AirflowPlugin

from newsdedup.dashboard import URL_PREFIX, create_app


class NewsDedupPlugin(AirflowPlugin):
    name = "newsdedup"
    fastapi_apps = [{"app": create_app(), "url_prefix": URL_PREFIX, "name": "News dedup dashboard"}]
    external_views = [{
        "name": "News dedup",
        "href": URL_PREFIX + "/",
        "icon": URL_PREFIX + "/icon.svg",
        "destination": "nav",
        "url_route": "newsdedup",
        "nav_top_level": True,
    }]
