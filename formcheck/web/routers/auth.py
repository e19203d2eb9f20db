"""Sign-up, sign-in and sign-out of coaches."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, HTTPException, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from ..deps import CSRF, DB, Settings, auth_session
from ..models import AuthSession, Coach
from ..pages import render
from ..security import (
    SESSION_COOKIE,
    end_session,
    hash_password,
    login_blocked,
    record_login,
    start_session,
    verify_password,
)
from ..settings import WebSettings

router = APIRouter()
MIN_PASSWORD = 10
MaybeSession = Annotated[AuthSession | None, Depends(auth_session)]


def _signed_in(settings: WebSettings, token: str) -> Response:
    response = RedirectResponse("/", status_code=303)
    response.set_cookie(
        SESSION_COOKIE,
        token,
        max_age=settings.session_hours * 3600,
        httponly=True,
        samesite="lax",
        secure=settings.secure_cookies,
        path="/",
    )
    return response


def _signup_open(settings: WebSettings) -> None:
    if not settings.allow_signup:
        raise HTTPException(403, "Sign-up is closed on this server: ask its owner for an account.")


def _address(request: Request) -> str:
    return (request.client.host if request.client else "unknown")[:64]


@router.get("/signup")
def signup_page(request: Request, settings: Settings, session: MaybeSession) -> Response:
    _signup_open(settings)
    if session is not None:
        return RedirectResponse("/", status_code=303)
    return render(request, "signup.html", {"error": "", "email": "", "name": ""})


@router.post("/signup", dependencies=[CSRF])
def signup(
    request: Request,
    db: DB,
    settings: Settings,
    email: Annotated[str, Form(max_length=254)],
    name: Annotated[str, Form(max_length=120)],
    password: Annotated[str, Form(max_length=1024)],
) -> Response:
    _signup_open(settings)
    email = email.strip().lower()
    error = ""
    if "@" not in email or len(email) < 3:
        error = "Give an e-mail address (it is your sign-in name)."
    elif len(password) < MIN_PASSWORD:
        error = f"Choose a password of at least {MIN_PASSWORD} characters."
    elif db.scalar(select(func.count()).where(Coach.email == email)):
        error = "There is already an account with that e-mail address: sign in instead."
    if error:
        return render(request, "signup.html", {"error": error, "email": email, "name": name}, status=400)
    coach = Coach(email=email, name=name.strip() or email, password_hash=hash_password(password))
    db.add(coach)
    try:
        db.commit()
    except IntegrityError:
        db.rollback()
        error = "There is already an account with that e-mail address: sign in instead."
        return render(request, "signup.html", {"error": error, "email": email, "name": name}, status=400)
    token, _ = start_session(db, coach, settings.session_hours)
    return _signed_in(settings, token)


@router.get("/login")
def login_page(request: Request, session: MaybeSession) -> Response:
    if session is not None:
        return RedirectResponse("/", status_code=303)
    return render(request, "login.html", {"error": "", "email": ""})


@router.post("/login", dependencies=[CSRF])
def login(
    request: Request,
    db: DB,
    settings: Settings,
    email: Annotated[str, Form(max_length=254)],
    password: Annotated[str, Form(max_length=1024)],
) -> Response:
    email = email.strip().lower()
    address = _address(request)
    if login_blocked(db, email, address, settings.login_attempts, settings.login_window_s):
        minutes = settings.login_window_s // 60
        error = f"Too many failed sign-ins: wait {minutes} minutes and try again."
        response = render(request, "login.html", {"error": error, "email": email}, status=429)
        response.headers["Retry-After"] = str(settings.login_window_s)
        return response
    coach = db.scalars(select(Coach).where(Coach.email == email)).first()
    ok = verify_password(coach.password_hash if coach else None, password)
    record_login(db, email, address, ok)
    if not ok or coach is None:
        error = "Wrong e-mail address or password."
        return render(request, "login.html", {"error": error, "email": email}, status=401)
    token, _ = start_session(db, coach, settings.session_hours)
    return _signed_in(settings, token)


@router.post("/logout", dependencies=[CSRF])
def logout(request: Request, db: DB) -> Response:
    end_session(db, request.cookies.get(SESSION_COOKIE))
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response
