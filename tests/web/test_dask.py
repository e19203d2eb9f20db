"""``--dask-scheduler``: the analyses run on a Dask cluster (a local one here, started and stopped by the test)."""

from __future__ import annotations

import pytest

from tests.web.support import CLIP, add_client, add_link, sign_up, upload, wait_status


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_jobs_run_on_a_dask_cluster(tmp_path, database_url, web_cache, monkeypatch):
    distributed = pytest.importorskip("dask.distributed")
    from fastapi.testclient import TestClient

    from formcheck.web import create_app
    from formcheck.web.settings import WebSettings

    monkeypatch.setenv("FORMCHECK_CACHE", str(web_cache))  # the Dask workers inherit it
    with distributed.LocalCluster(n_workers=1, threads_per_worker=1, processes=True, dashboard_address=":0") as cluster:
        settings = WebSettings(
            data_dir=tmp_path / "data", database_url=database_url, dask_scheduler=cluster.scheduler_address, poll_s=0.2
        )
        with TestClient(create_app(settings)) as http:
            csrf = sign_up(http)
            token = add_link(http, csrf, add_client(http, csrf))
            video = upload(http, token, CLIP.read_bytes()).json()["id"]
            assert wait_status(http, video, timeout_s=120)["status"] == "done"
            with distributed.Client(cluster.scheduler_address) as client:
                ran = client.run_on_scheduler(lambda dask_scheduler: sorted(dask_scheduler.task_prefixes))
            assert "analyse" in ran
            assert "ROM" in http.get(f"/videos/{video}").text
