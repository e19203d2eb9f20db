"""The read-only share link of one reviewed set ("send to client"): the findings as the coach left them
(overrides shown as such) with the coach's notes. Nothing on it can be changed."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import FileResponse, Response
from sqlalchemy import select

from .. import review
from ..deps import DB, Settings
from ..models import VERDICTS, Share
from ..pages import render

router = APIRouter()


def _share(db: DB, token: str) -> Share:
    record = db.scalars(select(Share).where(Share.token == token)).first() if len(token) >= 32 else None
    if record is None or record.revoked_at is not None:
        raise HTTPException(404, "This link does not work (it may have been withdrawn). Ask your coach.")
    return record


@router.get("/s/{token}")
def shared(request: Request, db: DB, settings: Settings, token: str) -> Response:
    record = _share(db, token)
    video = db.get(review.Video, record.video_id)
    data = review.load(settings, db, video) if video is not None else None
    if video is None or data is None:
        raise HTTPException(404, "This set is not ready.")
    return render(
        request,
        "review.html",
        {
            "video": video,
            "job": video.job,
            "review": data,
            "verdicts": VERDICTS,
            "base": "",
            "shared": True,
            "video_src": f"/s/{token}/annotated.mp4",
        },
    )


@router.get("/s/{token}/annotated.mp4")
def shared_video(db: DB, settings: Settings, token: str) -> Response:
    record = _share(db, token)
    video = db.get(review.Video, record.video_id)
    path = review.analysis_files(settings, video)["video"] if video is not None else None
    if path is None or not path.is_file():
        raise HTTPException(404, "No video.")
    return FileResponse(path, media_type="video/mp4")
