"""One uploaded set, for its coach: job status and retry, the review page, overrides, notes, sharing,
the annotated video, and the side-by-side of two reps."""

from __future__ import annotations

import shutil
from typing import Annotated

from fastapi import APIRouter, Depends, Form, HTTPException, Request
from fastapi.responses import FileResponse, JSONResponse, RedirectResponse, Response
from sqlalchemy import delete, select

from .. import jobs, review
from ..deps import CSRF, DB, CurrentCoach, Settings, auth_session, own_video
from ..models import RUNNING, VERDICTS, AuthSession, Job, Note, Override, Share, Video, utcnow
from ..pages import render
from ..security import new_token
from ..storage import video_dir

router = APIRouter()
Session_ = Annotated[AuthSession | None, Depends(auth_session)]


@router.get("/videos/{video_id}")
def review_page(
    request: Request, db: DB, settings: Settings, coach: CurrentCoach, session: Session_, video_id: str
) -> Response:
    video = own_video(db, coach, video_id)
    data = review.load(settings, db, video) if video.job.status == "done" else None
    base = str(request.base_url).rstrip("/")
    return render(
        request,
        "review.html",
        {"video": video, "job": video.job, "review": data, "verdicts": VERDICTS, "base": base, "shared": False},
        session=session,
    )


@router.get("/videos/{video_id}/status")
def status(db: DB, coach: CurrentCoach, video_id: str) -> Response:
    video = own_video(db, coach, video_id)
    job = video.job
    return JSONResponse({"id": video.id, "status": job.status, "error": job.error, "attempts": job.attempts})


@router.post("/videos/{video_id}/retry", dependencies=[CSRF])
def retry(request: Request, db: DB, coach: CurrentCoach, video_id: str) -> Response:
    video = own_video(db, coach, video_id)
    if jobs.retry(db, video.job):
        request.app.state.worker.wake()
    return RedirectResponse(f"/videos/{video.id}", status_code=303)


@router.get("/videos/{video_id}/annotated.mp4")
def annotated(db: DB, settings: Settings, coach: CurrentCoach, video_id: str) -> Response:
    video = own_video(db, coach, video_id)
    path = review.analysis_files(settings, video)["video"]
    if not path.is_file():
        raise HTTPException(404, "The annotated video is not there yet.")
    return FileResponse(path, media_type="video/mp4")


@router.post("/videos/{video_id}/overrides", dependencies=[CSRF])
def override(
    db: DB,
    settings: Settings,
    coach: CurrentCoach,
    video_id: str,
    rep: Annotated[int, Form(ge=1, le=10000)],
    rule: Annotated[str, Form(max_length=64)],
    verdict: Annotated[str, Form(max_length=16)],
    reason: Annotated[str, Form(max_length=2000)] = "",
) -> Response:
    video = own_video(db, coach, video_id)
    original = review.original_verdict(settings, video, rep, rule)
    if original is None:
        raise HTTPException(404, f"Rep {rep} has no finding for {rule}.")
    if verdict not in VERDICTS:
        raise HTTPException(422, f"Unknown verdict; use one of {', '.join(VERDICTS)}.")
    existing = db.scalars(
        select(Override).where(Override.video_id == video.id, Override.rep == rep, Override.rule == rule)
    ).first()
    if verdict == original:  # back to the analysis's verdict: the override goes
        if existing is not None:
            db.delete(existing)
    elif existing is None:
        db.add(Override(video_id=video.id, rep=rep, rule=rule, original=original, verdict=verdict, reason=reason))
    else:
        existing.verdict, existing.reason, existing.created_at = verdict, reason, utcnow()
    db.commit()
    return RedirectResponse(f"/videos/{video.id}#rep-{rep}", status_code=303)


@router.post("/videos/{video_id}/notes", dependencies=[CSRF])
def note(
    db: DB,
    coach: CurrentCoach,
    video_id: str,
    rep: Annotated[int, Form(ge=0, le=10000)],
    text: Annotated[str, Form(max_length=5000)] = "",
) -> Response:
    video = own_video(db, coach, video_id)
    existing = db.scalars(select(Note).where(Note.video_id == video.id, Note.rep == rep)).first()
    text = text.strip()
    if not text:
        if existing is not None:
            db.delete(existing)
    elif existing is None:
        db.add(Note(video_id=video.id, rep=rep, text=text))
    else:
        existing.text, existing.updated_at = text, utcnow()
    db.commit()
    return RedirectResponse(f"/videos/{video.id}" + (f"#rep-{rep}" if rep else "#set-note"), status_code=303)


@router.post("/videos/{video_id}/share", dependencies=[CSRF])
def share(db: DB, coach: CurrentCoach, video_id: str) -> Response:
    video = own_video(db, coach, video_id)
    db.add(Share(video_id=video.id, token=new_token()))
    db.commit()
    return RedirectResponse(f"/videos/{video.id}#share", status_code=303)


@router.post("/shares/{share_id}/revoke", dependencies=[CSRF])
def revoke_share(db: DB, coach: CurrentCoach, share_id: int) -> Response:
    record = db.get(Share, share_id)
    if record is None:
        raise HTTPException(404, "No such share link.")
    own_video(db, coach, record.video_id)  # 404 for another coach's
    record.revoked_at = record.revoked_at or utcnow()
    db.commit()
    return RedirectResponse(f"/videos/{record.video_id}#share", status_code=303)


@router.get("/videos/{video_id}/compare")
def compare(
    request: Request,
    db: DB,
    settings: Settings,
    coach: CurrentCoach,
    session: Session_,
    video_id: str,
    a: int | None = None,
    b: int | None = None,
    other: str | None = None,
    b_rep: int | None = None,
) -> Response:
    """Two reps side by side, synchronised at the bottom and lockout: ``a`` and ``b`` of this set (default:
    its best and worst), or ``a`` of this set and ``b_rep`` of the set ``other`` (the same lift on another date)."""
    left_video = own_video(db, coach, video_id)
    right_video = own_video(db, coach, other) if other else left_video
    left = review.load(settings, db, left_video)
    right = review.load(settings, db, right_video) if right_video is not left_video else left
    if left is None or right is None:
        raise HTTPException(409, "Both sets must be analysed before they can be compared.")
    best, worst = review.best_and_worst(left)
    a = a or best
    b = (b_rep or (right.reps[0].index if right.reps else 1)) if other else (b or worst)
    rep_a = next((r for r in left.reps if r.index == a), None)
    rep_b = next((r for r in right.reps if r.index == b), None)
    if rep_a is None or rep_b is None:
        raise HTTPException(404, "No such rep.")
    lift = (left_video.summary or {}).get("lift")
    others = [
        v for v in left_video.client.videos if v.id != left_video.id and v.summary and v.summary.get("lift") == lift
    ]
    return render(
        request,
        "compare.html",
        {"left": left, "right": right, "same_set": right is left, "rep_a": rep_a, "rep_b": rep_b, "others": others},
        session=session,
    )


@router.post("/videos/{video_id}/delete", dependencies=[CSRF])
def delete_video(db: DB, settings: Settings, coach: CurrentCoach, video_id: str) -> Response:
    """Delete a set for good: its rows (job, overrides, notes, share links) and its files."""
    video = own_video(db, coach, video_id)
    client_id = video.client_id
    gone = db.execute(delete(Job).where(Job.video_id == video.id, Job.status != RUNNING))
    if not getattr(gone, "rowcount", 0) and db.get(Job, video.job.id) is not None:
        db.rollback()
        raise HTTPException(409, "The analysis of this set is running: delete it once it has ended.")
    db.execute(delete(Video).where(Video.id == video.id))
    db.commit()
    shutil.rmtree(video_dir(settings, video_id), ignore_errors=True)
    return RedirectResponse(f"/clients/{client_id}#sets", status_code=303)
