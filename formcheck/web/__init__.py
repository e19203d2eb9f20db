"""The coach review web app (``formcheck serve``, extra ``web``): clients upload sets through private
links, formcheck analyses them in the background, the coach reviews rep by rep. See docs/WEB.md.

Nothing heavy is imported here; :func:`serve` and :func:`create_app` import the web stack when called.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from fastapi import FastAPI

    from .settings import WebSettings

__all__ = ["create_app", "serve"]


def create_app(settings: WebSettings, **options: Any) -> FastAPI:
    from .app import create_app as _create

    return _create(settings, **options)


def serve(settings: WebSettings, announce: Any = print) -> None:
    """Migrate the database, start the job worker and serve on ``settings.host:port`` until stopped.
    ``announce(text)`` is told the URL once the server listens. A port that is taken, or a database that
    cannot be opened, is a :class:`~formcheck.errors.ConfigError` (one line)."""
    import uvicorn

    sock = _listen(settings.host, settings.port)
    app = create_app(settings)
    config = uvicorn.Config(app, host=settings.host, port=settings.port, log_level="warning", lifespan="on")
    server = uvicorn.Server(config)
    original_startup = server.startup

    async def startup(sockets: Any = None) -> None:
        await original_startup(sockets=sockets)
        if server.started:
            port = sock.getsockname()[1]
            everywhere = settings.host in ("0.0.0.0", "::")
            host = "localhost" if everywhere or settings.host == "127.0.0.1" else settings.host
            where = " and on this machine's network addresses" if everywhere else ""
            announce(f"formcheck web app: http://{host}:{port}/{where}  (data: {settings.data_dir}; Ctrl-C stops it)")

    server.startup = startup  # type: ignore[method-assign]
    server.run(sockets=[sock])


def _listen(host: str, port: int) -> Any:
    """A socket bound to ``host:port`` (port 0: any free port), or a one-line error."""
    import socket

    from ..errors import ConfigError

    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as exc:
        sock.close()
        raise ConfigError(
            f"cannot listen on {host}:{port} ({exc.strerror or exc})",
            "Give another --port (or --host), or stop what is using it",
        ) from None
    return sock
