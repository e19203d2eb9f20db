"""The web app's settings: one typed, frozen object, built from the command line or the environment.

Every setting has an environment variable ``FORMCHECK_WEB_<NAME>`` (``FORMCHECK_WEB_DATA_DIR``,
``FORMCHECK_WEB_DATABASE_URL``, ...); ``formcheck serve`` options override them.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

from ..errors import ConfigError

ENV_PREFIX = "FORMCHECK_WEB_"


def default_data_dir() -> Path:
    """The user's data folder (XDG): ``$XDG_DATA_HOME/formcheck`` or ``~/.local/share/formcheck``."""
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "formcheck"


@dataclass(frozen=True)
class WebSettings:
    """Everything ``formcheck serve`` can be told."""

    #: Folder of the SQLite database (unless ``database_url`` says otherwise) and of the media files.
    data_dir: Path
    #: SQLAlchemy URL; empty: ``sqlite:///<data_dir>/formcheck.sqlite3``.
    database_url: str = ""
    host: str = "127.0.0.1"
    port: int = 8000
    #: Largest upload accepted, in megabytes.
    max_upload_mb: int = 500
    #: Analyses run at once (worker processes of the local pool, or tasks in flight on Dask).
    jobs: int = 1
    #: Address of a Dask scheduler (``tcp://host:8786``); empty: the local process pool.
    dask_scheduler: str = ""
    #: Whether new coach accounts can be made (turn it off once the coaches of this server have signed up).
    allow_signup: bool = True
    #: Send the session cookie only over HTTPS (set it behind a TLS proxy).
    secure_cookies: bool = False
    #: Failed logins allowed per e-mail address and per client address within ``login_window_s``.
    login_attempts: int = 5
    login_window_s: int = 900
    #: Lifetime of a coach's session.
    session_hours: int = 24 * 14
    #: Seconds between two looks at the job table when nothing woke the worker.
    poll_s: float = 1.0

    def __post_init__(self) -> None:
        if self.max_upload_mb < 1:
            raise ConfigError(f"max upload size {self.max_upload_mb} MB is too small", "Give at least 1 MB")
        if self.jobs < 1:
            raise ConfigError(f"jobs {self.jobs} must be at least 1", "Give --jobs 1 or more")
        if not 0 <= self.port <= 65535:
            raise ConfigError(f"port {self.port} is out of range", "Give a port between 1 and 65535")
        url = self.url
        if not url.startswith(("sqlite", "postgresql")):
            raise ConfigError(
                f"unsupported database URL '{url.split(':', 1)[0]}:...'",
                "Use sqlite:///PATH or postgresql+psycopg://USER:PASSWORD@HOST/NAME",
            )

    @property
    def url(self) -> str:
        """The database URL in force."""
        return self.database_url or f"sqlite:///{self.data_dir / 'formcheck.sqlite3'}"

    @property
    def media_dir(self) -> Path:
        return self.data_dir / "media"

    @property
    def max_upload_bytes(self) -> int:
        return self.max_upload_mb * 1024 * 1024

    @classmethod
    def from_env(cls, **overrides: Any) -> WebSettings:
        """Settings from ``FORMCHECK_WEB_*`` variables, then ``overrides`` (None: not given)."""
        values: dict[str, Any] = {}
        for f in fields(cls):
            raw = os.environ.get(ENV_PREFIX + f.name.upper())
            if raw is not None:
                values[f.name] = _parse(f.name, f.type, raw)
        values.update({k: v for k, v in overrides.items() if v is not None})
        values.setdefault("data_dir", default_data_dir())
        values["data_dir"] = Path(values["data_dir"]).expanduser()
        return cls(**values)


def _parse(name: str, kind: Any, raw: str) -> Any:
    kind = str(kind)
    try:
        if kind == "int":
            return int(raw)
        if kind == "float":
            return float(raw)
    except ValueError:
        raise ConfigError(f"{ENV_PREFIX}{name.upper()}={raw!r} is not a number", "Give a number") from None
    if kind == "bool":
        return raw.strip().lower() in ("1", "true", "yes", "on")
    return raw
