"""Passwords, sessions, form tokens (CSRF), the sign-in rate limit and the security headers."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from .models import AuthSession, Coach, LoginAttempt, utcnow

SESSION_COOKIE = "formcheck_session"
#: Form token of a visitor who is not signed in (sign-up, sign-in and upload pages).
CSRF_COOKIE = "formcheck_csrf"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"

_hasher = PasswordHasher()
#: A valid hash to verify against when the e-mail address is unknown: a failed sign-in takes as long
#: whether or not the account exists.
_DUMMY_HASH = _hasher.hash(secrets.token_hex(16))


def new_token(nbytes: int = 32) -> str:
    """A long random URL-safe token (32 bytes: 256 bits)."""
    return secrets.token_urlsafe(nbytes)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(stored: str | None, password: str) -> bool:
    try:
        return _hasher.verify(stored or _DUMMY_HASH, password) and stored is not None
    except (VerificationError, InvalidHashError):
        return False


def same(a: str | None, b: str | None) -> bool:
    """Constant-time comparison of two tokens; missing is never equal."""
    return bool(a) and bool(b) and secrets.compare_digest(str(a), str(b))


# ------------------------------------------------------------------------------------------ sessions


def start_session(db: Session, coach: Coach, hours: int) -> tuple[str, AuthSession]:
    """A new session for ``coach``; returns the cookie's token (only its hash is stored)."""
    token = new_token()
    record = AuthSession(
        token_hash=token_hash(token),
        coach_id=coach.id,
        csrf=new_token(),
        expires_at=utcnow() + dt.timedelta(hours=hours),
    )
    db.add(record)
    db.execute(delete(AuthSession).where(AuthSession.expires_at < utcnow()))
    db.commit()
    return token, record


def find_session(db: Session, token: str | None) -> AuthSession | None:
    if not token:
        return None
    record = db.scalars(select(AuthSession).where(AuthSession.token_hash == token_hash(token))).first()
    if record is None or record.expires_at < utcnow():
        return None
    return record


def end_session(db: Session, token: str | None) -> None:
    if token:
        db.execute(delete(AuthSession).where(AuthSession.token_hash == token_hash(token)))
        db.commit()


# ------------------------------------------------------------------------------------------ rate limit


def login_blocked(db: Session, email: str, address: str, attempts: int, window_s: int) -> bool:
    """Whether ``attempts`` sign-ins already failed within the window, for this e-mail address or from this
    client address."""
    since = utcnow() - dt.timedelta(seconds=window_s)
    for column, value in ((LoginAttempt.email, email), (LoginAttempt.address, address)):
        failed = db.scalar(
            select(func.count()).where(column == value, LoginAttempt.ok.is_(False), LoginAttempt.at >= since)
        )
        if (failed or 0) >= attempts:
            return True
    return False


def record_login(db: Session, email: str, address: str, ok: bool) -> None:
    db.add(LoginAttempt(email=email, address=address, ok=ok))
    db.execute(delete(LoginAttempt).where(LoginAttempt.at < utcnow() - dt.timedelta(days=1)))
    db.commit()


# ------------------------------------------------------------------------------------------ headers

#: No inline script or style anywhere: scripts and styles come from /static only.
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; media-src 'self'; "
    "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
SECURITY_HEADERS: list[tuple[bytes, bytes]] = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"no-referrer"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"permissions-policy", b"camera=(self), microphone=(), geolocation=()"),
]


class SecurityHeaders:
    """ASGI middleware: the security headers on every response, and ``Cache-Control: no-store`` on pages
    (they hold private data and tokens). A plain ASGI middleware, so streamed uploads stay streamed."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        static = str(scope.get("path", "")).startswith("/static/")

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers: list[Any] = list(message.get("headers", []))
                names = {name.lower() for name, _ in headers}
                headers += [(k, v) for k, v in SECURITY_HEADERS if k not in names]
                if not static and b"cache-control" not in names:
                    headers.append((b"cache-control", b"no-store"))
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_with_headers)
