"""Uploads and media files.

An upload is a ``multipart/form-data`` request parsed as it arrives (python-multipart's streaming
parser): the video part goes to disk chunk by chunk, never whole into memory, and the request is refused
as soon as it passes the size limit. Then the file is checked by its content (PyAV opens the container and
finds a video stream; :func:`formcheck.batch.classify`) and moved to ``media/<id>/source``, where ``<id>``
is generated. The uploader's file name is kept only as text to show.
"""

from __future__ import annotations

import os
import re
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from python_multipart import MultipartParser
from python_multipart.exceptions import MultipartParseError
from python_multipart.multipart import parse_options_header
from starlette.concurrency import run_in_threadpool
from starlette.requests import ClientDisconnect, Request

from .security import CSRF_FIELD, CSRF_HEADER, same
from .settings import WebSettings

#: Form fields other than the video: at most this many bytes each.
MAX_FIELD_BYTES = 4096
VIDEO_FIELD = "video"
_ID = re.compile(r"^[0-9a-f]{32}$")


class UploadRejected(Exception):
    """An upload refused with an HTTP status and a one-line reason for the uploader."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status, self.message = status, message


def new_id() -> str:
    return uuid.uuid4().hex


def video_dir(settings: WebSettings, video_id: str) -> Path:
    """The folder of one video's files; ``video_id`` must be a generated id (32 hex digits)."""
    if not _ID.match(video_id):
        raise ValueError(f"not a video id: {video_id!r}")
    return settings.media_dir / video_id


def source_path(settings: WebSettings, video_id: str) -> Path:
    return video_dir(settings, video_id) / "source"


def display_name(raw: str) -> str:
    """The uploader's file name as text to show: the last path component, no control characters,
    at most 200 characters. Never used as a path."""
    name = re.split(r"[/\\]", raw)[-1]
    name = "".join(ch for ch in name if ch.isprintable()).strip()
    return (name or "video")[:200]


@dataclass
class Received:
    """An upload that passed every check, stored under ``id``."""

    id: str
    original_name: str
    size: int
    fields: dict[str, str] = field(default_factory=dict)


class _Form:
    """The callbacks of the streaming multipart parser: fields in memory (small), the video to ``part``."""

    def __init__(self, part: Path, limit: int, expected_csrf: str | None, header_csrf: str | None) -> None:
        self.part, self.limit = part, limit
        self.expected_csrf, self.header_csrf = expected_csrf, header_csrf
        self.fields: dict[str, str] = {}
        self.filename: str | None = None
        self.size = 0
        self._headers: dict[str, bytes] = {}
        self._hname = b""
        self._hvalue = b""
        self._name = ""
        self._value = bytearray()
        self._file: Any = None
        self._is_file = False

    def callbacks(self) -> dict[str, Any]:
        return {
            "on_part_begin": self._part_begin,
            "on_header_field": lambda d, s, e: self._add("_hname", d[s:e]),
            "on_header_value": lambda d, s, e: self._add("_hvalue", d[s:e]),
            "on_header_end": self._header_end,
            "on_headers_finished": self._headers_finished,
            "on_part_data": self._data,
            "on_part_end": self._part_end,
        }

    def _add(self, attr: str, data: bytes) -> None:
        setattr(self, attr, getattr(self, attr) + data)

    def _part_begin(self) -> None:
        self._headers, self._value, self._is_file = {}, bytearray(), False

    def _header_end(self) -> None:
        self._headers[self._hname.decode("latin-1").lower()] = self._hvalue
        self._hname, self._hvalue = b"", b""

    def _headers_finished(self) -> None:
        _, options = parse_options_header(self._headers.get("content-disposition", b""))
        self._name = options.get(b"name", b"").decode("utf-8", "replace")
        if self._name == VIDEO_FIELD and b"filename" in options:
            if self.filename is not None:
                raise UploadRejected(400, "one video per upload")
            # the form token comes before the video (in the form, or as a header): checked before any byte is kept
            if not same(self.expected_csrf, self.header_csrf or self.fields.get(CSRF_FIELD)):
                raise UploadRejected(403, "the form token is missing or wrong: reload the page and try again")
            self.filename = display_name(options[b"filename"].decode("utf-8", "replace"))
            self._is_file = True
            self._file = open(self.part, "wb")  # noqa: SIM115 - closed in _part_end or by the caller

    def _data(self, data: bytes, start: int, end: int) -> None:
        if self._is_file:
            self.size += end - start
            if self.size > self.limit:
                raise UploadRejected(413, f"the video is larger than the limit of {self.limit // 2**20} MB")
            self._file.write(data[start:end])
        else:
            self._value += data[start:end]
            if len(self._value) > MAX_FIELD_BYTES:
                raise UploadRejected(400, f"the form field '{self._name[:40]}' is too long")

    def _part_end(self) -> None:
        if self._is_file:
            self._file.close()
            self._file = None
        elif self._name:
            self.fields[self._name] = self._value.decode("utf-8", "replace")

    def close(self) -> None:
        if self._file is not None:
            self._file.close()


async def receive_upload(request: Request, settings: WebSettings, expected_csrf: str | None) -> Received:
    """Stream the request's video to disk, check it, and store it under a new id.

    Raises :class:`UploadRejected` (nothing is kept then): 413 over the size limit, 415 not a video,
    403 a missing or wrong form token, 400 a malformed form.
    """
    limit = settings.max_upload_bytes
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > limit + 64 * 1024:
        raise UploadRejected(413, f"the video is larger than the limit of {settings.max_upload_mb} MB")
    kind, options = parse_options_header(request.headers.get("content-type", ""))
    if kind != b"multipart/form-data" or b"boundary" not in options:
        raise UploadRejected(400, "send the video as a multipart form (the upload page does)")
    incoming = settings.media_dir / "incoming"
    incoming.mkdir(parents=True, exist_ok=True)
    video_id = new_id()
    part = incoming / f"{video_id}.part"
    form = _Form(part, limit, expected_csrf, request.headers.get(CSRF_HEADER))
    parser = MultipartParser(options[b"boundary"], form.callbacks())  # type: ignore[arg-type]
    try:
        try:
            async for chunk in request.stream():
                parser.write(chunk)
            parser.finalize()
        except MultipartParseError:
            raise UploadRejected(400, "the upload form is malformed: send it again from the upload page") from None
        except ClientDisconnect:
            raise UploadRejected(400, "the upload was cut off before the end: send it again") from None
        form.close()
        if form.filename is None:
            raise UploadRejected(400, "no video in the upload: choose a file")
        if form.size == 0:
            raise UploadRejected(415, "the file is empty: choose a video")
        kind_found, info = await run_in_threadpool(_classify, part)
        if kind_found != "video":
            raise UploadRejected(415, f"this file is not a video formcheck can read ({info}): choose a video file")
        target = source_path(settings, video_id)
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(part, target)
    except BaseException:
        form.close()
        part.unlink(missing_ok=True)
        raise
    return Received(id=video_id, original_name=form.filename, size=form.size, fields=form.fields)


def _classify(path: Path) -> tuple[str, Any]:
    from ..batch import classify

    return classify(path)
