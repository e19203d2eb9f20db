"""The web app's tables (SQLAlchemy 2). The schema itself is made by the Alembic migrations in
``migrations/versions``; a change here needs a new revision there.

Times are naive UTC (:func:`utcnow`) in every table: SQLite keeps no time zone.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, Boolean, DateTime, Float, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

#: Job states, in order: an upload is queued, a worker runs it, it ends done or failed.
QUEUED, RUNNING, DONE, FAILED = "queued", "running", "done", "failed"
JOB_STATES = (QUEUED, RUNNING, DONE, FAILED)
#: What a coach can set a finding's verdict to.
VERDICTS = ("pass", "warn", "fault", "not_checked")


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


class Base(DeclarativeBase):
    pass


class Coach(Base):
    __tablename__ = "coaches"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    password_hash: Mapped[str] = mapped_column(String(255))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


class AuthSession(Base):
    """A signed-in browser: the cookie holds the token, the table its SHA-256 and the form token (CSRF)."""

    __tablename__ = "auth_sessions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    coach_id: Mapped[int] = mapped_column(ForeignKey("coaches.id", ondelete="CASCADE"), index=True)
    csrf: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    expires_at: Mapped[dt.datetime] = mapped_column(DateTime)

    coach: Mapped[Coach] = relationship()


class LoginAttempt(Base):
    """One sign-in try, for the rate limit (per e-mail address and per client address)."""

    __tablename__ = "login_attempts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    email: Mapped[str] = mapped_column(String(254), index=True)
    address: Mapped[str] = mapped_column(String(64), index=True)
    ok: Mapped[bool] = mapped_column(Boolean)
    at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow, index=True)


class Client(Base):
    __tablename__ = "clients"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    coach_id: Mapped[int] = mapped_column(ForeignKey("coaches.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)

    links: Mapped[list[UploadLink]] = relationship(back_populates="client", order_by="UploadLink.id")
    videos: Mapped[list[Video]] = relationship(back_populates="client", order_by="Video.created_at")


class UploadLink(Base):
    """A client's private upload link: whoever holds the token can upload for that client, until it is
    revoked or expires. No account needed."""

    __tablename__ = "upload_links"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id", ondelete="CASCADE"), index=True)
    token: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    expires_at: Mapped[dt.datetime | None] = mapped_column(DateTime, nullable=True)
    revoked_at: Mapped[dt.datetime | None] = mapped_column(DateTime, nullable=True)

    client: Mapped[Client] = relationship(back_populates="links")

    def usable(self, now: dt.datetime | None = None) -> bool:
        now = now or utcnow()
        return self.revoked_at is None and (self.expires_at is None or self.expires_at > now)


class Video(Base):
    """One uploaded set, stored as ``media/<id>/source`` (never under a name the uploader chose)."""

    __tablename__ = "videos"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id", ondelete="CASCADE"), index=True)
    link_id: Mapped[int | None] = mapped_column(ForeignKey("upload_links.id", ondelete="SET NULL"), nullable=True)
    #: The uploader's file name, shown (escaped) and never used as a path.
    original_name: Mapped[str] = mapped_column(String(255))
    #: The lift asked for: ``auto`` or a lift id.
    lift: Mapped[str] = mapped_column(String(32), default="auto")
    note: Mapped[str] = mapped_column(Text, default="")
    size_bytes: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    #: Set by a finished analysis: lift, reps, ROM per rep, flags per rule (for the client's history).
    summary: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)

    client: Mapped[Client] = relationship(back_populates="videos")
    job: Mapped[Job] = relationship(back_populates="video", uselist=False)


class Job(Base):
    """The analysis of one video: queued -> running -> done | failed; a retry queues it again."""

    __tablename__ = "jobs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    video_id: Mapped[str] = mapped_column(ForeignKey("videos.id", ondelete="CASCADE"), unique=True)
    status: Mapped[str] = mapped_column(String(16), default=QUEUED, index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    #: One line: why it failed (a FormcheckError's message), or a note such as "resumed after a restart".
    error: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    started_at: Mapped[dt.datetime | None] = mapped_column(DateTime, nullable=True)
    finished_at: Mapped[dt.datetime | None] = mapped_column(DateTime, nullable=True)
    processing_s: Mapped[float | None] = mapped_column(Float, nullable=True)

    video: Mapped[Video] = relationship(back_populates="job")


class Override(Base):
    """A coach's verdict for one rule on one rep, kept beside the analysis's own (``original``)."""

    __tablename__ = "overrides"
    __table_args__ = (UniqueConstraint("video_id", "rep", "rule"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    video_id: Mapped[str] = mapped_column(ForeignKey("videos.id", ondelete="CASCADE"), index=True)
    rep: Mapped[int] = mapped_column(Integer)
    rule: Mapped[str] = mapped_column(String(64))
    original: Mapped[str] = mapped_column(String(16))
    verdict: Mapped[str] = mapped_column(String(16))
    reason: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


class Note(Base):
    """The coach's note on one rep (``rep`` >= 1) or on the whole set (``rep`` = 0)."""

    __tablename__ = "notes"
    __table_args__ = (UniqueConstraint("video_id", "rep"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    video_id: Mapped[str] = mapped_column(ForeignKey("videos.id", ondelete="CASCADE"), index=True)
    rep: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


class Share(Base):
    """A read-only link to one reviewed set with the coach's notes ("send to client")."""

    __tablename__ = "shares"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    video_id: Mapped[str] = mapped_column(ForeignKey("videos.id", ondelete="CASCADE"), index=True)
    token: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    revoked_at: Mapped[dt.datetime | None] = mapped_column(DateTime, nullable=True)
