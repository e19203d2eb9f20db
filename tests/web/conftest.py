"""Fixtures of the web app's tests. Every test that touches the database runs twice: on SQLite and on a
real PostgreSQL server that the session starts (Debian's binaries) and stops."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.helpers import seed_cache
from tests.web.support import CLIP, CLIP_LANDMARKS, Postgres, postgres_server


@pytest.fixture(scope="session")
def pg_server() -> Iterator[Postgres]:
    with postgres_server() as server:
        yield server


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request, tmp_path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'data' / 'formcheck.sqlite3'}"
    server: Postgres = request.getfixturevalue("pg_server")
    return server.new_database()


@pytest.fixture(scope="session")
def web_cache(tmp_path_factory) -> Path:
    """One landmark cache for the web tests' servers, seeded with the sample clip's stored landmarks (the
    browser test's clip runs the real model once and then comes from here too)."""
    folder = tmp_path_factory.mktemp("web-cache")
    old = os.environ.get("FORMCHECK_CACHE")
    os.environ["FORMCHECK_CACHE"] = str(folder)
    try:
        seed_cache(CLIP, CLIP_LANDMARKS)
    finally:
        if old is None:
            os.environ.pop("FORMCHECK_CACHE", None)
        else:
            os.environ["FORMCHECK_CACHE"] = old
    return folder


@pytest.fixture
def settings(tmp_path, database_url, web_cache, monkeypatch):
    from formcheck.web.settings import WebSettings

    monkeypatch.setenv("FORMCHECK_CACHE", str(web_cache))
    return WebSettings(data_dir=tmp_path / "data", database_url=database_url, poll_s=0.2)


@pytest.fixture
def app_client(settings):
    """The app in this process (FastAPI's TestClient), its job worker running."""
    from fastapi.testclient import TestClient

    from formcheck.web import create_app

    with TestClient(create_app(settings), base_url="http://testserver") as client:
        yield client
