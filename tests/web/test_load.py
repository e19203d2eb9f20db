"""A bounded load test (bench/bench_web.py): 30 clients upload at once, then 200 page views; nothing is
lost and the queue drains. Latencies are recorded by the bench script in docs/PERFORMANCE.md, never asserted."""

from __future__ import annotations

import importlib.util
import os

from tests.helpers import ROOT


def _bench():
    spec = importlib.util.spec_from_file_location("bench_web", ROOT / "bench" / "bench_web.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_thirty_uploads_at_once_then_two_hundred_page_views(tmp_path, web_cache):
    bench = _bench()
    (tmp_path / "data").mkdir()
    env = {**os.environ, "FORMCHECK_CACHE": str(web_cache)}
    server = bench.Server(tmp_path / "data", "", jobs=2, env=env)
    try:
        result = bench.run_load(server.url, uploads=30, views=200, drain_timeout_s=300, idle_views=20)
    finally:
        server.stop()
    assert result["rejected"] == [] and result["accepted"] == 30
    assert result["lost"] == [] and result["listed"] == 30
    assert result["drained"] and result["done"] == 30 and result["failed"] == []
    assert result["view_errors"] == [] and result["page_latency"]["n"] == 200
    stored = sorted(p.parent.name for p in (tmp_path / "data" / "media").glob("*/source"))
    assert stored == sorted(result["accepted_ids"])
    assert not list((tmp_path / "data" / "media" / "incoming").glob("*"))
