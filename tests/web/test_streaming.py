"""Uploads are streamed to disk as they arrive (never whole in memory) and refused mid-way past the size
limit, even when no length is announced (chunked transfer). Against a live server: FastAPI's TestClient
would hand the app the whole body at once."""

from __future__ import annotations

import os
import re
import time

import httpx
import pytest

from tests.web.support import CLIP, LiveServer, add_client, add_link, sign_up

BOUNDARY = "formcheck-test-boundary"
CHUNK = 32 * 1024


def _form_parts(csrf: str, name: str) -> tuple[bytes, bytes]:
    head = (
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="csrf_token"\r\n\r\n{csrf}\r\n'
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="lift"\r\n\r\nauto\r\n'
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="video"; filename="{name}"\r\n'
        "Content-Type: video/mp4\r\n\r\n"
    ).encode()
    return head, f"\r\n--{BOUNDARY}--\r\n".encode()


@pytest.fixture
def server(tmp_path, web_cache):
    (tmp_path / "data").mkdir()
    env = {**os.environ, "FORMCHECK_CACHE": str(web_cache), "FORMCHECK_WEB_MAX_UPLOAD_MB": "1"}
    live = LiveServer(tmp_path / "data", "", env).start()
    yield live
    live.stop()


def _link(http: httpx.Client) -> tuple[str, str, dict[str, str]]:
    csrf = sign_up(http)
    token = add_link(http, csrf, add_client(http, csrf))
    http.cookies.delete("formcheck_session")
    page = http.get(f"/u/{token}").text
    upload_csrf = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    return token, upload_csrf, dict(http.cookies)


def test_the_video_reaches_the_disk_while_it_is_still_arriving(server):
    incoming = server.data_dir / "media" / "incoming"
    data = CLIP.read_bytes()
    seen: list[int] = []
    with httpx.Client(base_url=server.url, timeout=60, follow_redirects=True) as http:
        token, csrf, cookies = _link(http)
        head, tail = _form_parts(csrf, "set.mp4")

        def body():
            yield head
            for i in range(0, len(data), CHUNK):
                yield data[i : i + CHUNK]
                if i == CHUNK * 4:  # halfway: what is on disk now?
                    time.sleep(0.5)
                    seen.extend(p.stat().st_size for p in incoming.glob("*.part"))
            yield tail

        r = httpx.post(
            f"{server.url}/u/{token}/upload",
            content=body(),
            cookies=cookies,
            headers={"Content-Type": f"multipart/form-data; boundary={BOUNDARY}", "Accept": "application/json"},
            timeout=60,
        )
    assert r.status_code == 201, r.text
    assert len(seen) == 1 and 0 < seen[0] < len(data), seen  # a partial file on disk mid-upload
    assert not list(incoming.glob("*.part"))
    assert (server.data_dir / "media" / r.json()["id"] / "source").read_bytes() == data


def test_a_chunked_upload_past_the_limit_is_cut_off(server):
    incoming = server.data_dir / "media" / "incoming"
    sent = {"bytes": 0}
    with httpx.Client(base_url=server.url, timeout=60, follow_redirects=True) as http:
        token, csrf, cookies = _link(http)
        head, tail = _form_parts(csrf, "huge.mp4")

        def body():  # no Content-Length: chunked, 3 MB against a 1 MB limit
            yield head
            for _ in range(3 * 2**20 // CHUNK):
                sent["bytes"] += CHUNK
                yield b"\0" * CHUNK
            yield tail

        try:
            r = httpx.post(
                f"{server.url}/u/{token}/upload",
                content=body(),
                cookies=cookies,
                headers={"Content-Type": f"multipart/form-data; boundary={BOUNDARY}", "Accept": "application/json"},
                timeout=60,
            )
            assert r.status_code == 413 and "larger than the limit of 1 MB" in r.json()["error"]
        except httpx.HTTPError:
            pass  # the server may answer and close before the client has sent everything
    time.sleep(0.5)
    assert not list(incoming.glob("*")), "the partial file is deleted"
    assert not [p for p in (server.data_dir / "media").glob("*/source")]
    with httpx.Client(base_url=server.url, timeout=30) as http:
        assert http.get(f"/u/{token}/status").json()["uploads"] == []
