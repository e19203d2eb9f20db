"""Shared fixtures. Paths and helpers (``need_shared``, ``seed_cache``) are in ``tests/helpers.py``.

``tests`` is a package: test modules import their helpers as ``tests.helpers``, ``tests.synthetic``
and ``tests.videos`` (pytest puts the project root on ``sys.path`` for a package's tests).
"""

from __future__ import annotations

import pytest

from tests.helpers import need_shared


@pytest.fixture
def shared_clip():
    return need_shared


@pytest.fixture(autouse=True)
def _isolated_cache(tmp_path, monkeypatch):
    """Each test gets its own landmark cache folder."""
    monkeypatch.setenv("FORMCHECK_CACHE", str(tmp_path / "cache"))
