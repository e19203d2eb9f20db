"""The coach's home page, clients, their upload links and their history."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response
from markupsafe import Markup
from sqlalchemy import select

from .. import history
from ..deps import CSRF, DB, CurrentCoach, auth_session, own_client, own_link
from ..models import AuthSession, Client, UploadLink, utcnow
from ..pages import render
from ..security import new_token

router = APIRouter()
Session_ = Annotated[AuthSession | None, Depends(auth_session)]


@router.get("/")
def home(request: Request, db: DB, coach: CurrentCoach, session: Session_) -> Response:
    clients = db.scalars(select(Client).where(Client.coach_id == coach.id).order_by(Client.name)).all()
    return render(request, "home.html", {"clients": clients}, session=session)


@router.post("/clients", dependencies=[CSRF])
def create_client(db: DB, coach: CurrentCoach, name: Annotated[str, Form(min_length=1, max_length=120)]) -> Response:
    client = Client(coach_id=coach.id, name=name.strip() or "client")
    db.add(client)
    db.commit()
    return RedirectResponse(f"/clients/{client.id}", status_code=303)


@router.get("/clients/{client_id}")
def client_page(request: Request, db: DB, coach: CurrentCoach, session: Session_, client_id: int) -> Response:
    client = own_client(db, coach, client_id)
    sets = history.rows(list(client.videos))
    base = str(request.base_url).rstrip("/")
    return render(
        request,
        "client.html",
        {
            "client": client,
            "links": [(link, f"{base}/u/{link.token}", link.usable()) for link in client.links],
            "videos": sorted(client.videos, key=lambda v: v.created_at, reverse=True),
            "history": [(h, Markup(h.chart)) for h in history.by_lift(sets)],
        },
        session=session,
    )


@router.post("/clients/{client_id}/links", dependencies=[CSRF])
def create_link(
    db: DB, coach: CurrentCoach, client_id: int, expires_days: Annotated[int, Form(ge=0, le=3650)] = 0
) -> Response:
    client = own_client(db, coach, client_id)
    expires = utcnow() + dt.timedelta(days=expires_days) if expires_days else None
    db.add(UploadLink(client_id=client.id, token=new_token(), expires_at=expires))
    db.commit()
    return RedirectResponse(f"/clients/{client.id}#links", status_code=303)


@router.post("/links/{link_id}/revoke", dependencies=[CSRF])
def revoke_link(db: DB, coach: CurrentCoach, link_id: int) -> Response:
    link = own_link(db, coach, link_id)
    if link.revoked_at is None:
        link.revoked_at = utcnow()
        db.commit()
    return RedirectResponse(f"/clients/{link.client_id}#links", status_code=303)
