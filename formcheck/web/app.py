"""The FastAPI application: settings, database, migrations on start, the job worker, routers, headers."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from .db import make_engine, migrate, session_factory
from .deps import LoginRequired
from .jobs import JobWorker
from .pages import error_page
from .routers import auth, clients, links, shares, videos
from .security import SESSION_COOKIE, SecurityHeaders, find_session
from .settings import WebSettings

log = logging.getLogger("formcheck.web")


def create_app(settings: WebSettings, *, run_jobs: bool = True) -> FastAPI:
    """The app for ``settings``. The schema is migrated to the newest revision before the first request;
    ``run_jobs=False`` leaves the job queue alone (tests of the pages only)."""
    settings.media_dir.mkdir(parents=True, exist_ok=True)
    engine = make_engine(settings.url)
    migrate(engine)
    factory = session_factory(engine)
    worker = JobWorker(settings, factory)
    if run_jobs and settings.dask_scheduler:
        worker.executor.connect(timeout="10s").close()  # an unreachable scheduler is a one-line error now

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        if run_jobs:
            worker.start()
        try:
            yield
        finally:
            if run_jobs:
                worker.stop()
            engine.dispose()

    app = FastAPI(title="formcheck", lifespan=lifespan, docs_url=None, redoc_url=None, openapi_url=None)
    app.state.settings = settings
    app.state.engine = engine
    app.state.sessions = factory
    app.state.worker = worker
    app.add_middleware(SecurityHeaders)
    app.mount("/static", StaticFiles(packages=[("formcheck.web", "static")]), name="static")
    for module in (auth, clients, links, videos, shares):
        app.include_router(module.router)
    _handlers(app)
    return app


def _wants_json(request: Request) -> bool:
    return "application/json" in request.headers.get("accept", "") or request.url.path.endswith((".json", "/status"))


def _handlers(app: FastAPI) -> None:
    @app.exception_handler(LoginRequired)
    async def _login(request: Request, _exc: LoginRequired) -> Response:
        if _wants_json(request) or request.method != "GET" or request.url.path.endswith(".mp4"):
            return JSONResponse({"error": "sign in first"}, status_code=401)
        return RedirectResponse("/login", status_code=303)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> Response:
        message = exc.detail if isinstance(exc.detail, str) else "Something went wrong."
        if exc.status_code == 404 and message == "Not Found":
            message = "No such page."
        if _wants_json(request):
            return JSONResponse({"error": message}, status_code=exc.status_code, headers=exc.headers)
        with app.state.sessions() as db:
            session = find_session(db, request.cookies.get(SESSION_COOKIE))
            return error_page(request, exc.status_code, message, session)

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> Response:
        first = exc.errors()[0] if exc.errors() else {}
        where = ".".join(str(p) for p in first.get("loc", ())[1:]) or "form"
        message = f"{where}: {first.get('msg', 'invalid value')}"
        if _wants_json(request):
            return JSONResponse({"error": message}, status_code=422)
        return error_page(request, 422, f"The form was not filled in right ({message}).")
