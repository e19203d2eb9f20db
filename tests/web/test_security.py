"""Security tests of the web app; each runs on SQLite and on PostgreSQL. They fail closed: a request
without the right form token, session or link changes nothing and sees nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from formcheck.web.models import Client, Coach, Note, Override, UploadLink, Video
from tests.web.support import CLIP, PASSWORD, add_client, add_link, csrf_of, sign_up, upload, wait_status


def count(app_client, model) -> int:
    with app_client.app.state.sessions() as db:
        return int(db.scalar(select(func.count()).select_from(model)))


def test_forms_without_or_with_a_forged_token_are_refused(app_client):
    page = app_client.get("/signup")
    good = csrf_of(page.text)
    form = {"email": "a@example.com", "name": "A", "password": PASSWORD}
    assert app_client.post("/signup", data=form).status_code == 403
    assert app_client.post("/signup", data={**form, "csrf_token": "x" * 43}).status_code == 403
    assert count(app_client, Coach) == 0
    # a token from another browser (its visitor cookie) is not this browser's
    assert app_client.post("/signup", data={**form, "csrf_token": good + "A"}).status_code == 403
    csrf = sign_up(app_client)
    assert csrf != good, "signing in gives the session its own form token"
    for token in (None, "", "forged" * 8, good):
        data = {"name": "Mallory's client"} | ({"csrf_token": token} if token is not None else {})
        assert app_client.post("/clients", data=data).status_code == 403
    assert count(app_client, Client) == 0
    r = app_client.post("/clients", data={"name": "Alex", "csrf_token": csrf}, follow_redirects=False)
    assert r.status_code == 303 and count(app_client, Client) == 1
    # signing out needs the token too
    assert app_client.post("/logout", data={}).status_code == 403
    assert app_client.get("/", follow_redirects=False).status_code == 200


def test_upload_without_the_form_token_is_refused(app_client):
    csrf = sign_up(app_client)
    token = add_link(app_client, csrf, add_client(app_client, csrf))
    app_client.get(f"/u/{token}")
    r = upload(app_client, token, CLIP.read_bytes(), csrf="forged-token-forged-token-forged-token")
    assert r.status_code == 403 and "form token" in r.json()["error"]
    assert count(app_client, Video) == 0
    assert not any((app_client.app.state.settings.media_dir / "incoming").glob("*"))


def test_a_coach_sees_only_their_own_clients_and_videos(app_client, settings):
    csrf_a = sign_up(app_client, "a@example.com", "Coach A")
    client_a = add_client(app_client, csrf_a, "A's client")
    token = add_link(app_client, csrf_a, client_a)
    video = upload(app_client, token, CLIP.read_bytes()).json()["id"]
    wait_status(app_client, video)
    link_id = int(app_client.get(f"/clients/{client_a}").text.split('action="/links/')[1].split("/")[0])
    app_client.post(f"/videos/{video}/share", data={"csrf_token": csrf_a})
    app_client.cookies.clear()

    csrf_b = sign_up(app_client, "b@example.com", "Coach B")
    assert "A&#39;s client" not in app_client.get("/").text and "A's client" not in app_client.get("/").text
    for path in (
        f"/clients/{client_a}",
        f"/videos/{video}",
        f"/videos/{video}/status",
        f"/videos/{video}/annotated.mp4",
        f"/videos/{video}/compare",
    ):
        r = app_client.get(path)
        assert r.status_code == 404, (path, r.status_code)
        assert "A&#39;s client" not in r.text and "set.mp4" not in r.text
    posts = {
        f"/clients/{client_a}/links": {"expires_days": "0"},
        f"/links/{link_id}/revoke": {},
        f"/videos/{video}/retry": {},
        f"/videos/{video}/overrides": {"rep": "4", "rule": "ht.look_at_wall", "verdict": "pass"},
        f"/videos/{video}/notes": {"rep": "1", "text": "mine now"},
        f"/videos/{video}/share": {},
        "/shares/1/revoke": {},
        f"/videos/{video}/delete": {},
    }
    for path, data in posts.items():
        r = app_client.post(path, data={**data, "csrf_token": csrf_b})
        assert r.status_code == 404, (path, r.status_code)
    with app_client.app.state.sessions() as db:
        link = db.get(UploadLink, link_id)
        assert link is not None and link.revoked_at is None
        assert db.scalar(select(func.count()).select_from(UploadLink)) == 1
        assert db.scalar(select(func.count()).select_from(Override)) == 0
        assert db.scalar(select(func.count()).select_from(Note)) == 0
        assert db.get(Video, video) is not None
    assert (settings.media_dir / video / "source").is_file()


def test_revoked_expired_and_wrong_links_do_nothing(app_client):
    csrf = sign_up(app_client)
    client_id = add_client(app_client, csrf)
    revoked = add_link(app_client, csrf, client_id)
    expired = add_link(app_client, csrf, client_id, days=1)
    with app_client.app.state.sessions() as db:
        link = db.scalars(select(UploadLink).where(UploadLink.token == revoked)).one()
        link_id = link.id
        old = db.scalars(select(UploadLink).where(UploadLink.token == expired)).one()
        old.expires_at = dt.datetime(2020, 1, 1)
        db.commit()
    page = app_client.get(f"/u/{revoked}")
    assert page.status_code == 200
    upload_csrf = csrf_of(page.text)
    assert app_client.post(f"/links/{link_id}/revoke", data={"csrf_token": csrf}).status_code in (200, 303)
    for token in (revoked, expired, revoked[:-1] + ("A" if revoked[-1] != "A" else "B"), "short"):
        assert app_client.get(f"/u/{token}").status_code == 404
        assert app_client.get(f"/u/{token}/status").status_code == 404
        r = upload(app_client, token, CLIP.read_bytes(), csrf=upload_csrf)
        assert r.status_code == 404, token
    assert count(app_client, Video) == 0


def test_a_link_sees_only_its_own_uploads(app_client):
    csrf = sign_up(app_client)
    first = add_link(app_client, csrf, add_client(app_client, csrf, "One"))
    second = add_link(app_client, csrf, add_client(app_client, csrf, "Two"))
    mine = upload(app_client, first, CLIP.read_bytes(), name="mine.mp4").json()["id"]
    upload(app_client, second, CLIP.read_bytes(), name="theirs.mp4")
    listed = app_client.get(f"/u/{first}/status").json()["uploads"]
    assert [u["id"] for u in listed] == [mine]
    page = app_client.get(f"/u/{first}").text
    assert "mine.mp4" in page and "theirs.mp4" not in page
    # the link gives no way into the coach's pages
    app_client.cookies.pop("formcheck_session", None)
    assert app_client.get(f"/videos/{mine}", follow_redirects=False).status_code == 303
    assert app_client.get(f"/videos/{mine}/annotated.mp4").status_code == 401


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_an_oversized_upload_is_refused_and_nothing_is_kept(tmp_path, database_url, web_cache, monkeypatch):
    from fastapi.testclient import TestClient

    from formcheck.web import create_app
    from formcheck.web.settings import WebSettings

    settings = WebSettings(data_dir=tmp_path / "data", database_url=database_url, max_upload_mb=1)
    with TestClient(create_app(settings, run_jobs=False)) as http:
        csrf = sign_up(http)
        token = add_link(http, csrf, add_client(http, csrf))
        r = upload(http, token, b"\0" * (3 * 2**20 // 2))
        assert r.status_code == 413 and "larger than the limit of 1 MB" in r.json()["error"]
        with http.app.state.sessions() as db:
            assert db.scalar(select(func.count()).select_from(Video)) == 0
        leftovers = [p for p in settings.media_dir.rglob("*") if p.is_file()]
        assert leftovers == []


def test_non_videos_are_refused_by_their_content(app_client, settings):
    csrf = sign_up(app_client)
    token = add_link(app_client, csrf, add_client(app_client, csrf))
    png = b"\x89PNG\r\n\x1a\n" + b"\0" * 200
    for name, data in (("set.mp4", b"this is not a video\n" * 50), ("set.mov", png), ("empty.mp4", b"")):
        r = upload(app_client, token, data, name=name)
        assert r.status_code == 415, (name, r.status_code, r.text)
        assert "video" in r.json()["error"]
    # a real video under a name that says otherwise is accepted: the content decides
    assert upload(app_client, token, CLIP.read_bytes(), name="notes.txt").status_code == 201
    assert count(app_client, Video) == 1
    assert [p.name for p in settings.media_dir.rglob("*") if p.is_file()] == ["source"]


def test_upload_names_never_reach_the_filesystem_and_are_escaped(app_client, settings):
    csrf = sign_up(app_client)
    client_id = add_client(app_client, csrf)
    token = add_link(app_client, csrf, client_id)
    names = ["../../../../tmp/evil.mp4", "<img src=x onerror=alert(1)>.mp4", "<script>alert(1)</script>.mp4"]
    ids = []
    for name in names:
        r = upload(app_client, token, CLIP.read_bytes(), name=name, note="<b>bold</b>")
        assert r.status_code == 201, r.text
        ids.append(r.json()["id"])
    stored = sorted(p.relative_to(settings.media_dir).as_posix() for p in settings.media_dir.rglob("source"))
    assert stored == sorted(f"{i}/source" for i in ids)
    assert not (settings.media_dir.parent.parent / "tmp" / "evil.mp4").exists()
    page = app_client.get(f"/clients/{client_id}").text
    assert "<script>alert(1)" not in page and "<img src=x" not in page
    assert "&lt;img src=x onerror=alert(1)&gt;.mp4" in page
    assert "script&gt;.mp4" in page  # only the last part of a name with a slash is kept, as text
    assert "<b>bold</b>" not in page and "&lt;b&gt;bold&lt;/b&gt;" in page
    assert "evil.mp4" in page and "../" not in page.split('id="sets"')[1].split("</table>")[0]
    review = app_client.get(f"/videos/{ids[1]}").text
    assert "<img src=x" not in review and "&lt;img src=x onerror=alert(1)&gt;" in review


def test_user_text_is_escaped_everywhere(app_client):
    csrf = sign_up(app_client, name="<img src=x onerror=alert(1)>")
    client_id = add_client(app_client, csrf, "<script>alert('client')</script>")
    home = app_client.get("/").text
    assert "<script>alert('client')</script>" not in home and "&lt;script&gt;" in home
    assert "<img src=x" not in home
    token = add_link(app_client, csrf, client_id)
    video = upload(app_client, token, CLIP.read_bytes()).json()["id"]
    wait_status(app_client, video)
    evil = '"><script>alert(2)</script>'
    app_client.post(f"/videos/{video}/notes", data={"csrf_token": csrf, "rep": "4", "text": evil})
    app_client.post(
        f"/videos/{video}/overrides",
        data={"csrf_token": csrf, "rep": "4", "rule": "ht.look_at_wall", "verdict": "warn", "reason": evil},
    )
    app_client.post(f"/videos/{video}/share", data={"csrf_token": csrf})
    review = app_client.get(f"/videos/{video}").text
    share = review.split('class="linkurl share-url" type="text" readonly value="')[1].split('"')[0]
    shared = app_client.get(share.replace("http://testserver", "")).text
    for page in (review, shared):
        assert "<script>alert(2)" not in page and "&lt;script&gt;alert(2)&lt;/script&gt;" in page
        assert "<script" not in page.replace('<script src="/static/app.js" defer></script>', "")


def test_login_is_rate_limited(app_client):
    sign_up(app_client, "coach@example.com")
    app_client.cookies.clear()
    csrf = csrf_of(app_client.get("/login").text)
    for _ in range(5):
        r = app_client.post(
            "/login", data={"csrf_token": csrf, "email": "coach@example.com", "password": "guess-guess"}
        )
        assert r.status_code == 401 and "Wrong e-mail address or password" in r.text
    # the right password does not get in either now, nor does another account from the same address
    for email in ("coach@example.com", "other@example.com"):
        r = app_client.post("/login", data={"csrf_token": csrf, "email": email, "password": PASSWORD})
        assert r.status_code == 429 and "Too many failed sign-ins" in r.text
        assert int(r.headers["retry-after"]) > 0
    assert "formcheck_session" not in app_client.cookies


def test_sign_in_works_and_the_session_cookie_is_httponly_samesite(app_client):
    sign_up(app_client, "coach@example.com")
    app_client.cookies.clear()
    csrf = csrf_of(app_client.get("/login").text)
    r = app_client.post(
        "/login", data={"csrf_token": csrf, "email": "Coach@Example.com", "password": PASSWORD}, follow_redirects=False
    )
    assert r.status_code == 303
    cookie = r.headers["set-cookie"].lower()
    assert "formcheck_session=" in cookie and "httponly" in cookie and "samesite=lax" in cookie
    assert app_client.get("/", follow_redirects=False).status_code == 200
    # signing out ends the session on the server: the old cookie no longer works
    old = app_client.cookies.get("formcheck_session")
    app_client.post("/logout", data={"csrf_token": csrf_of(app_client.get("/").text)})
    app_client.cookies.set("formcheck_session", old)
    assert app_client.get("/", follow_redirects=False).status_code == 303


def test_security_headers_and_no_listing(app_client):
    for path in ("/login", "/static/app.js", "/nope", "/static/"):
        r = app_client.get(path)
        csp = r.headers["content-security-policy"]
        assert "script-src 'self'" in csp and "frame-ancestors 'none'" in csp and "unsafe-inline" not in csp
        assert r.headers["x-content-type-options"] == "nosniff"
        assert r.headers["referrer-policy"] == "no-referrer"
    assert app_client.get("/static/").status_code == 404
    assert app_client.get("/static/../settings.py").status_code == 404
    assert app_client.get("/login").headers["cache-control"] == "no-store"
    page = app_client.get("/login").text
    assert "<script>" not in page and " style=" not in page and "onclick" not in page


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_sign_up_can_be_closed(tmp_path, database_url):
    from fastapi.testclient import TestClient

    from formcheck.web import create_app
    from formcheck.web.settings import WebSettings

    settings = WebSettings(data_dir=tmp_path / "data", database_url=database_url, allow_signup=False)
    with TestClient(create_app(settings, run_jobs=False)) as http:
        page = http.get("/signup")
        assert page.status_code == 403 and "Sign-up is closed" in page.text
        csrf = csrf_of(http.get("/login").text)
        r = http.post("/signup", data={"csrf_token": csrf, "email": "x@example.com", "name": "X", "password": PASSWORD})
        assert r.status_code == 403
        with http.app.state.sessions() as db:
            assert db.scalar(select(func.count()).select_from(Coach)) == 0
