"""The coach's path through the app in this process (the job worker runs real analyses on the sample
clip; its landmarks come from the cache): upload, job, review, override, notes, share, history, side by side,
a failing video and its retry. On SQLite and on PostgreSQL."""

from __future__ import annotations

import io
import re

import av
import numpy as np
from sqlalchemy import select

from formcheck.web.models import Job, Note, Override, Share
from tests.web.support import CLIP, add_client, add_link, csrf_of, sign_up, upload, wait_status


def grey_clip(seconds: float = 1.0) -> bytes:
    """A real H.264 video with nobody in it: it passes the upload check and fails the analysis."""
    buffer = io.BytesIO()
    with av.open(buffer, "w", format="mp4") as container:
        stream = container.add_stream("libx264", rate=30)
        stream.width, stream.height, stream.pix_fmt = 160, 120, "yuv420p"
        for _ in range(int(seconds * 30)):
            frame = av.VideoFrame.from_ndarray(np.full((120, 160, 3), 128, np.uint8), format="rgb24")
            container.mux(stream.encode(frame))
        container.mux(stream.encode())
    return buffer.getvalue()


def test_upload_analyse_review_override_note_share(app_client):
    csrf = sign_up(app_client)
    client_id = add_client(app_client, csrf, "Sam")
    token = add_link(app_client, csrf, client_id)
    r = upload(app_client, token, CLIP.read_bytes(), name="thrusts.mp4", lift="hip_thrust", note="last set, heavy")
    assert r.status_code == 201
    video = r.json()["id"]
    assert wait_status(app_client, video)["status"] == "done"

    page = app_client.get(f"/videos/{video}").text
    assert page.count('<article class="rep card') == 4
    assert 'id="rep-4"' in page and '<article class="rep card fault" id="rep-4"' in page
    assert "ht.look_at_wall" in page and "Look at the wall in front" in page  # finding and cue
    assert "measured <strong>" in page and 'class="plot"' in page  # evidence and the report's plots
    assert " ± " in page and "fault past " in page  # the measurement's uncertainty and the fault line
    assert "last set, heavy" in page
    # the annotated video is served with range requests (seeking)
    head = app_client.get(f"/videos/{video}/annotated.mp4", headers={"Range": "bytes=0-99"})
    assert head.status_code == 206 and len(head.content) == 100

    # override: kept beside the original and shown as such
    r = app_client.post(
        f"/videos/{video}/overrides",
        data={"csrf_token": csrf, "rep": "4", "rule": "ht.look_at_wall", "verdict": "pass", "reason": "chin was fine"},
    )
    assert r.status_code in (200, 303)
    with app_client.app.state.sessions() as db:
        o = db.scalars(select(Override)).one()
        assert (o.rep, o.rule, o.original, o.verdict) == (4, "ht.look_at_wall", "fault", "pass")
    page = app_client.get(f"/videos/{video}").text
    rep4 = page.split('id="rep-4"')[1].split("</article>")[0]
    assert "overridden by the coach · analysis: FAULT" in rep4 and "chin was fine" in rep4
    # an override of a finding the analysis does not have is refused
    r = app_client.post(
        f"/videos/{video}/overrides",
        data={"csrf_token": csrf, "rep": "9", "rule": "ht.look_at_wall", "verdict": "pass"},
    )
    assert r.status_code == 404
    r = app_client.post(
        f"/videos/{video}/overrides", data={"csrf_token": csrf, "rep": "4", "rule": "ht.look_at_wall", "verdict": "ok"}
    )
    assert r.status_code == 422

    # notes per rep and per set; a share link shows them read-only
    app_client.post(f"/videos/{video}/notes", data={"csrf_token": csrf, "rep": "4", "text": "Eyes forward on 4."})
    app_client.post(f"/videos/{video}/notes", data={"csrf_token": csrf, "rep": "0", "text": "Good set overall."})
    app_client.post(f"/videos/{video}/share", data={"csrf_token": csrf})
    page = app_client.get(f"/videos/{video}").text
    share = re.search(r'share-url" type="text" readonly value="http://testserver(/s/[^"]+)"', page).group(1)
    app_client.cookies.clear()
    shared = app_client.get(share)
    assert shared.status_code == 200
    text = shared.text
    assert "Eyes forward on 4." in text and "Good set overall." in text
    assert "overridden by the coach" in text and "<form" not in text.split("<main>")[1]
    assert app_client.get(share + "/annotated.mp4").status_code == 200
    assert app_client.get(f"/videos/{video}", follow_redirects=False).status_code == 303  # the share is no login


def test_history_and_side_by_side(app_client):
    csrf = sign_up(app_client)
    client_id = add_client(app_client, csrf, "Sam")
    token = add_link(app_client, csrf, client_id)
    ids = [upload(app_client, token, CLIP.read_bytes(), name=f"week{i}.mp4").json()["id"] for i in (1, 2)]
    for video in ids:
        assert wait_status(app_client, video)["status"] == "done"
    page = app_client.get(f"/clients/{client_id}").text
    history = page.split('id="history"')[1]
    assert '<svg class="history"' in history and "polyline" in history
    assert history.count("<td>1/4</td>") >= 2  # ht.look_at_wall flagged on 1 of 4 reps, both sets
    assert "81°" in history  # mean ROM
    compare = app_client.get(f"/videos/{ids[0]}/compare")
    assert compare.status_code == 200
    box = re.search(r'data-a="([^"]+)"\s+data-b="([^"]+)"', compare.text)
    a, b = ([float(v) for v in g.split(",")] for g in box.groups())
    assert len(a) == len(b) == 4 and a[0] < a[1] < a[2] < a[3] and b[0] < b[1] < b[2] < b[3]
    assert a != b  # best against worst rep by default
    other = app_client.get(f"/videos/{ids[0]}/compare", params={"a": 1, "other": ids[1], "b_rep": 4})
    assert other.status_code == 200 and f"/videos/{ids[1]}/annotated.mp4" in other.text


def test_a_failed_analysis_keeps_its_reason_and_can_be_retried(app_client):
    csrf = sign_up(app_client)
    token = add_link(app_client, csrf, add_client(app_client, csrf))
    video = upload(app_client, token, grey_clip(), name="empty-gym.mp4").json()["id"]
    body = wait_status(app_client, video)
    assert body["status"] == "failed" and body["attempts"] == 1
    assert "\n" not in body["error"] and len(body["error"]) > 10 and "Traceback" not in body["error"]
    page = app_client.get(f"/videos/{video}").text
    assert 'id="retry"' in page and 'id="job-error"' in page
    assert app_client.post(f"/videos/{video}/retry", data={"csrf_token": csrf_of(page)}).status_code in (200, 303)
    again = wait_status(app_client, video, wanted=("failed",))
    assert again["attempts"] == 2 and again["error"] == body["error"]
    with app_client.app.state.sessions() as db:
        assert db.scalars(select(Job)).one().status == "failed"


def test_a_coach_deletes_a_set_for_good(app_client, settings):
    csrf = sign_up(app_client)
    client_id = add_client(app_client, csrf)
    token = add_link(app_client, csrf, client_id)
    video = upload(app_client, token, CLIP.read_bytes()).json()["id"]
    wait_status(app_client, video)
    app_client.post(f"/videos/{video}/notes", data={"csrf_token": csrf, "rep": "1", "text": "note"})
    app_client.post(f"/videos/{video}/share", data={"csrf_token": csrf})
    assert (settings.media_dir / video / "annotated.mp4").is_file()
    r = app_client.post(f"/videos/{video}/delete", data={"csrf_token": csrf}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == f"/clients/{client_id}#sets"
    assert not (settings.media_dir / video).exists()
    assert app_client.get(f"/videos/{video}").status_code == 404
    assert app_client.get(f"/u/{token}/status").json()["uploads"] == []
    with app_client.app.state.sessions() as db:
        for model in (Job, Note, Share, Override):
            assert db.scalars(select(model)).first() is None
