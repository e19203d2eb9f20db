"""``formcheck serve``: settings from options and the environment; bad settings are one line, no traceback."""

from __future__ import annotations

from pathlib import Path

import pytest

from formcheck.cli import main
from formcheck.errors import ConfigError
from formcheck.web.settings import WebSettings


def test_settings_from_the_environment_then_options(monkeypatch, tmp_path):
    monkeypatch.setenv("FORMCHECK_WEB_DATA_DIR", str(tmp_path / "env"))
    monkeypatch.setenv("FORMCHECK_WEB_MAX_UPLOAD_MB", "20")
    monkeypatch.setenv("FORMCHECK_WEB_SECURE_COOKIES", "true")
    s = WebSettings.from_env(port=9000, max_upload_mb=None)
    assert s.data_dir == tmp_path / "env" and s.port == 9000 and s.max_upload_mb == 20 and s.secure_cookies
    assert s.url == f"sqlite:///{tmp_path / 'env' / 'formcheck.sqlite3'}"
    monkeypatch.delenv("FORMCHECK_WEB_DATA_DIR")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    assert WebSettings.from_env().data_dir == Path(tmp_path / "xdg" / "formcheck")
    monkeypatch.setenv("FORMCHECK_WEB_PORT", "eighty")
    with pytest.raises(ConfigError, match="is not a number"):
        WebSettings.from_env()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--database-url", "mysql://x/y"], "unsupported database URL 'mysql:...'"),
        (["--database-url", "postgresql+psycopg://nobody@127.0.0.1:1/none"], "cannot open the database"),
        (["--max-upload-mb", "0"], "is too small"),
        (["--dask-scheduler", "tcp://127.0.0.1:1"], "cannot reach the Dask scheduler at tcp://127.0.0.1:1"),
    ],
)
def test_bad_settings_are_one_line(tmp_path, capsys, args, message):
    code = main(["serve", "--data-dir", str(tmp_path), *args])
    err = capsys.readouterr().err
    assert code == 2, err
    assert message in err and "Traceback" not in err and len(err.strip().splitlines()) == 1


def test_a_port_in_use_is_one_line(tmp_path, capsys):
    import socket

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        code = main(["serve", "--data-dir", str(tmp_path), "--port", str(port)])
    err = capsys.readouterr().err
    assert code == 2 and f"cannot listen on 127.0.0.1:{port}" in err and len(err.strip().splitlines()) == 1
