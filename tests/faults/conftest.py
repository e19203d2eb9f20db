"""The fault corpus shares one landmark cache: every case's copy of the base clip has the same content, so its
landmarks are stored once (tests/conftest.py gives every other test its own cache)."""

from __future__ import annotations

import pytest

from tests.faults import inputs as mk


@pytest.fixture(scope="session")
def corpus_cache(tmp_path_factory):
    folder = tmp_path_factory.mktemp("corpus-cache")
    mk.seed(mk.base_clip(), folder=folder)
    return folder


@pytest.fixture(autouse=True)
def _corpus_cache(corpus_cache, monkeypatch):
    monkeypatch.setenv("FORMCHECK_CACHE", str(corpus_cache))
