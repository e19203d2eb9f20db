"""Alembic environment: run by :func:`formcheck.web.db.migrate` with an open connection."""

from __future__ import annotations

from alembic import context

from formcheck.web.models import Base

connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=Base.metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
