"""FastAPI dependencies: settings, a database session, the signed-in coach, the form-token check, and the
records a coach may see (another coach's ids are 404, as if they did not exist)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, HTTPException, Request
from sqlalchemy import select
from sqlalchemy.orm import Session

from .models import AuthSession, Client, Coach, UploadLink, Video
from .security import CSRF_COOKIE, CSRF_FIELD, CSRF_HEADER, SESSION_COOKIE, find_session, same
from .settings import WebSettings

SAFE_METHODS = ("GET", "HEAD", "OPTIONS")


class LoginRequired(Exception):
    """Raised by :func:`current_coach`; the app answers with a redirect to the sign-in page."""


def get_settings(request: Request) -> WebSettings:
    settings: WebSettings = request.app.state.settings
    return settings


def get_db(request: Request) -> Iterator[Session]:
    with request.app.state.sessions() as db:
        yield db


DB = Annotated[Session, Depends(get_db)]
Settings = Annotated[WebSettings, Depends(get_settings)]


def auth_session(request: Request, db: DB) -> AuthSession | None:
    return find_session(db, request.cookies.get(SESSION_COOKIE))


def current_coach(record: Annotated[AuthSession | None, Depends(auth_session)]) -> Coach:
    if record is None:
        raise LoginRequired()
    return record.coach


CurrentCoach = Annotated[Coach, Depends(current_coach)]


def expected_csrf(request: Request, record: AuthSession | None) -> str | None:
    """The form token this browser must send: its session's, or (signed out) its visitor cookie's."""
    return record.csrf if record is not None else request.cookies.get(CSRF_COOKIE)


async def csrf_protect(request: Request, record: Annotated[AuthSession | None, Depends(auth_session)]) -> None:
    """Every unsafe request carries the form token (a hidden form field, or the X-CSRF-Token header)."""
    if request.method in SAFE_METHODS:
        return
    supplied = request.headers.get(CSRF_HEADER)
    if supplied is None and request.headers.get("content-type", "").startswith("application/x-www-form-urlencoded"):
        supplied = str((await request.form()).get(CSRF_FIELD) or "")
    if not same(expected_csrf(request, record), supplied):
        raise HTTPException(403, "The form token is missing or wrong: reload the page and try again.")


CSRF = Depends(csrf_protect)


def own_client(db: Session, coach: Coach, client_id: int) -> Client:
    client = db.scalars(select(Client).where(Client.id == client_id, Client.coach_id == coach.id)).first()
    if client is None:
        raise HTTPException(404, "No such client.")
    return client


def own_video(db: Session, coach: Coach, video_id: str) -> Video:
    video = db.scalars(select(Video).join(Client).where(Video.id == video_id, Client.coach_id == coach.id)).first()
    if video is None:
        raise HTTPException(404, "No such video.")
    return video


def own_link(db: Session, coach: Coach, link_id: int) -> UploadLink:
    link = db.scalars(
        select(UploadLink).join(Client).where(UploadLink.id == link_id, Client.coach_id == coach.id)
    ).first()
    if link is None:
        raise HTTPException(404, "No such upload link.")
    return link
