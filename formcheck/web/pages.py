"""Rendering pages: one Jinja environment (autoescape on for every template), the form token handed to
every page, and the visitor cookie that carries it before sign-in."""

from __future__ import annotations

import datetime as dt
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, PackageLoader, StrictUndefined

from .. import __version__
from .models import AuthSession
from .security import CSRF_COOKIE, new_token

_env = Environment(
    loader=PackageLoader("formcheck.web", "templates"),
    autoescape=True,  # every template, whatever its name: user text is always escaped
    trim_blocks=True,
    lstrip_blocks=True,
    undefined=StrictUndefined,
)


def _when(value: dt.datetime | None) -> str:
    return "" if value is None else value.strftime("%Y-%m-%d %H:%M UTC")


def _size(n: int | None) -> str:
    if n is None:
        return ""
    return f"{n / 2**20:.1f} MB" if n >= 2**20 else f"{n / 1024:.0f} kB"


_env.filters["when"] = _when
_env.filters["size"] = _size


def render(
    request: Request,
    template: str,
    context: dict[str, Any],
    *,
    session: AuthSession | None = None,
    status: int = 200,
) -> HTMLResponse:
    """The page ``template`` with ``context`` plus ``csrf`` (the form token), ``coach`` and ``version``."""
    new_cookie = None
    if session is not None:
        csrf = session.csrf
    else:
        csrf = request.cookies.get(CSRF_COOKIE) or ""
        if len(csrf) < 32:
            csrf = new_cookie = new_token()
    settings = request.app.state.settings
    html = _env.get_template(template).render(
        request=request,
        csrf=csrf,
        coach=session.coach if session is not None else None,
        version=__version__,
        **context,
    )
    response = HTMLResponse(html, status_code=status)
    if new_cookie is not None:
        response.set_cookie(
            CSRF_COOKIE, new_cookie, httponly=True, samesite="strict", secure=settings.secure_cookies, path="/"
        )
    return response


def error_page(request: Request, status: int, message: str, session: AuthSession | None = None) -> HTMLResponse:
    return render(request, "error.html", {"status": status, "message": message}, session=session, status=status)
