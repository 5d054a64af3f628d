"""Airflow's own authentication for the dashboard.

A FastAPI app mounted by a plugin is not protected by the api-server: it answers anonymous requests
unless it checks credentials itself. We accept exactly what Airflow's REST API accepts: a Bearer
token from `POST /auth/token`, or the UI's `_token` session cookie (which the browser sends with the
iframe request when the page is opened inside the Airflow UI), and validate it with the running
auth manager (signature, expiry, revocation), then ask it whether the user may see the website.
"""

from __future__ import annotations

from typing import Any

from fastapi import HTTPException, Request, status

COOKIE_NAME = "_token"  # airflow.api_fastapi.auth.managers.base_auth_manager.COOKIE_NAME_JWT_TOKEN
HINT = ("send `Authorization: Bearer <token>` with a token from POST /auth/token, "
        "or open the page from the Airflow UI after logging in")


def request_token(request: Request) -> str | None:
    """The credential of a request: an explicit Bearer header wins over the session cookie."""
    header = request.headers.get("authorization", "")
    scheme, _, value = header.partition(" ")
    if scheme.lower() == "bearer" and value.strip():
        return value.strip()
    return request.cookies.get(COOKIE_NAME) or None


async def require_user(request: Request) -> Any:
    """FastAPI dependency: the authenticated Airflow user, else 401 (no or expired token) / 403."""
    from airflow.api_fastapi.app import get_auth_manager
    from airflow.api_fastapi.auth.managers.models.resource_details import AccessView
    from jwt import ExpiredSignatureError, InvalidTokenError

    token = request_token(request)
    if not token:
        raise HTTPException(status.HTTP_401_UNAUTHORIZED, f"Not authenticated: {HINT}",
                            headers={"WWW-Authenticate": "Bearer"})
    manager = get_auth_manager()
    try:
        user = await manager.get_user_from_token(token)
    except ExpiredSignatureError:
        raise HTTPException(status.HTTP_401_UNAUTHORIZED, f"Token expired: {HINT}",
                            headers={"WWW-Authenticate": "Bearer"}) from None
    except InvalidTokenError:
        raise HTTPException(status.HTTP_403_FORBIDDEN, "Invalid token") from None
    if not manager.is_authorized_view(access_view=AccessView.WEBSITE, user=user):
        raise HTTPException(status.HTTP_403_FORBIDDEN, "This user may not view the Airflow website")
    return user
