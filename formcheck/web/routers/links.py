"""The client's side: the private upload link (no account). A link sees only the uploads made through it."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import JSONResponse, Response
from sqlalchemy import select

from ...exercises import judged_lifts
from ..deps import DB, Settings
from ..models import Job, UploadLink, Video
from ..pages import render
from ..security import CSRF_COOKIE
from ..storage import UploadRejected, receive_upload

router = APIRouter()


def lift_choices() -> list[tuple[str, str]]:
    return [("auto", "Recognise it")] + [(lift.id, lift.name) for lift in judged_lifts()]


def usable_link(db: DB, token: str) -> UploadLink:
    """The link for ``token``; a wrong, revoked or expired token is 404 (the same page for all three)."""
    link = db.scalars(select(UploadLink).where(UploadLink.token == token)).first() if len(token) >= 32 else None
    if link is None or not link.usable():
        raise HTTPException(
            404,
            "This upload link does not work (it may have been revoked or have expired). Ask your coach for a new one.",
        )
    return link


def _uploads(db: DB, link: UploadLink) -> list[Video]:
    return list(db.scalars(select(Video).where(Video.link_id == link.id).order_by(Video.created_at.desc())).all())


@router.get("/u/{token}")
def upload_page(request: Request, db: DB, settings: Settings, token: str) -> Response:
    link = usable_link(db, token)
    return render(
        request,
        "upload.html",
        {
            "link": link,
            "client_name": link.client.name,
            "uploads": _uploads(db, link),
            "lifts": lift_choices(),
            "max_mb": settings.max_upload_mb,
        },
    )


@router.post("/u/{token}/upload")
async def upload(request: Request, db: DB, settings: Settings, token: str) -> Response:
    link = usable_link(db, token)
    db.close()  # no connection held while the video streams in
    try:
        received = await receive_upload(request, settings, request.cookies.get(CSRF_COOKIE))
    except UploadRejected as exc:
        return JSONResponse({"error": exc.message}, status_code=exc.status)
    lift = received.fields.get("lift", "auto")
    if lift not in dict(lift_choices()):
        lift = "auto"
    video = Video(
        id=received.id,
        client_id=link.client_id,
        link_id=link.id,
        original_name=received.original_name,
        lift=lift,
        note=received.fields.get("note", "")[:2000],
        size_bytes=received.size,
    )
    db.add(video)
    db.add(Job(video_id=video.id))
    db.commit()
    request.app.state.worker.wake()
    return JSONResponse({"id": video.id, "status": "queued", "name": video.original_name}, status_code=201)


@router.get("/u/{token}/status")
def upload_status(db: DB, token: str) -> Response:
    link = usable_link(db, token)
    return JSONResponse(
        {
            "uploads": [
                {"id": v.id, "name": v.original_name, "status": v.job.status, "error": v.job.error}
                for v in _uploads(db, link)
            ]
        }
    )
