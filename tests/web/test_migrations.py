"""The schema is made and upgraded by Alembic on start; a database at the previous revision (0001: no
review tables yet) keeps its data through the upgrade. On SQLite and on PostgreSQL."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import inspect, text

from formcheck.web.db import HEAD, current_revision, make_engine, migrate


def test_upgrade_from_the_previous_revision_keeps_the_data(settings):
    engine = make_engine(settings.url)
    migrate(engine, "0001")
    assert current_revision(engine) == "0001"
    assert "overrides" not in inspect(engine).get_table_names()
    now = dt.datetime(2026, 11, 30, 12, 0)
    with engine.begin() as c:
        c.execute(
            text(
                "INSERT INTO coaches (id, email, name, password_hash, created_at) VALUES (1, 'c@x.org', 'C', 'h', :t)"
            ),
            {"t": now},
        )
        c.execute(text("INSERT INTO clients (id, coach_id, name, created_at) VALUES (1, 1, 'Sam', :t)"), {"t": now})
        c.execute(
            text(
                "INSERT INTO videos (id, client_id, original_name, lift, note, size_bytes, created_at) "
                "VALUES ('0123456789abcdef0123456789abcdef', 1, 'a.mp4', 'auto', '', 10, :t)"
            ),
            {"t": now},
        )
        c.execute(
            text(
                "INSERT INTO jobs (video_id, status, attempts, error, created_at) "
                "VALUES ('0123456789abcdef0123456789abcdef', 'queued', 0, '', :t)"
            ),
            {"t": now},
        )
    engine.dispose()

    # the app migrates on start: the old rows are there, the new tables too, the queued job is still queued
    from fastapi.testclient import TestClient

    from formcheck.web import create_app

    app = create_app(settings, run_jobs=False)
    with TestClient(app):
        engine = app.state.engine
        assert current_revision(engine) == HEAD
        assert {"overrides", "notes", "shares"} <= set(inspect(engine).get_table_names())
        with engine.connect() as c:
            assert c.execute(text("SELECT name FROM clients")).scalar_one() == "Sam"
            assert c.execute(text("SELECT status FROM jobs")).scalar_one() == "queued"
    # and a second start is a no-op
    migrate(make_engine(settings.url))
    assert current_revision(make_engine(settings.url)) == HEAD


def test_models_match_the_migrations(settings):
    """The tables the migrations make are the ones the models describe (no forgotten revision)."""
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    from formcheck.web.models import Base

    engine = make_engine(settings.url)
    migrate(engine)
    with engine.connect() as c:
        diff = compare_metadata(MigrationContext.configure(c), Base.metadata)
    assert diff == [], diff
