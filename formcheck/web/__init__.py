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
    ``announce(text)`` is told the URL once the server listens."""
    import uvicorn

    app = create_app(settings)
    config = uvicorn.Config(app, host=settings.host, port=settings.port, log_level="warning", lifespan="on")
    server = uvicorn.Server(config)

    original_startup = server.startup

    async def startup(sockets: Any = None) -> None:
        await original_startup(sockets=sockets)
        if server.started:
            port = server.servers[0].sockets[0].getsockname()[1] if server.servers else settings.port
            everywhere = settings.host in ("0.0.0.0", "::")
            host = "localhost" if everywhere or settings.host == "127.0.0.1" else settings.host
            where = " and on this machine's network addresses" if everywhere else ""
            announce(f"formcheck web app: http://{host}:{port}/{where}  (data: {settings.data_dir}; Ctrl-C stops it)")

    server.startup = startup  # type: ignore[method-assign]
    server.run()
