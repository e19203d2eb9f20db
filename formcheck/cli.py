"""Command line: thin. Parse, build the config, call the pipeline, print.

Every problem the user can fix is one line on stderr and a non-zero exit code
(see :mod:`formcheck.errors`); no tracebacks unless FORMCHECK_DEBUG=1.
"""

from __future__ import annotations

import contextlib
import errno
import functools
import os
import sys
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Any, Optional

import typer

from . import __version__
from .errors import ConfigError, FormcheckError, InputError

if TYPE_CHECKING:
    from rich.console import Console

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    rich_markup_mode=None,
    help="Judge recorded sets of hip thrusts and Romanian deadlifts from the side.",
)


@functools.cache
def _out() -> Console:
    """The terminal on stdout. rich is imported when something is printed: ``formcheck --help`` (typer's own
    help) and a quiet re-judge that succeeds print nothing through it (docs/PERFORMANCE.md, "Start-up")."""
    from rich.console import Console

    return Console()


@functools.cache
def _err() -> Console:
    """The terminal on stderr: errors, progress bars, batch lines."""
    from rich.console import Console

    return Console(stderr=True)


EXIT_INTERNAL = 70
EXIT_INTERRUPTED = 130


class Model(str, Enum):
    lite = "lite"
    full = "full"
    heavy = "heavy"


def _lift_choices() -> tuple[str, ...]:
    """``--exercise`` choices: auto, or any lift that has rules (from the registry, formcheck.exercises.LIFTS).
    Read only when a command checks the option or shows its help: ``formcheck --help`` imports no rules (and no
    numpy with them; docs/PERFORMANCE.md "Start-up")."""
    from .exercises import judged_lifts

    return ("auto", *(lift.id for lift in judged_lifts()))


def _check_lift(value: str) -> str:
    """``--exercise``'s check: one of :func:`_lift_choices`."""
    choices = _lift_choices()
    if value not in choices:
        raise typer.BadParameter(f"{value!r} is not one of {', '.join(choices)}.")
    return value


def _exercise_option() -> Any:  # typer.Option's value stands in for the parameter's default
    return typer.Option(
        "auto", "--exercise", "-e", metavar="LIFT", help="Force the lift instead of detecting it.", callback=_check_lift
    )


class _NamesTheLifts(typer.core.TyperCommand):
    """A command whose ``--exercise`` help lists the lifts, read from the registry when that help is shown."""

    def format_help(self, ctx: Any, formatter: Any) -> None:
        for param in self.params:
            if (
                isinstance(param, typer.core.TyperOption)
                and param.name == "exercise"
                and param.help
                and not param.help.endswith("]")
            ):
                param.help = f"{param.help} [one of: {', '.join(_lift_choices())}]"
        super().format_help(ctx, formatter)


class View(str, Enum):
    """``--view``: let the detector decide, or say how the camera looked at the lifter."""

    auto = "auto"
    side = "side"
    oblique = "oblique"


def _esc(value: object) -> str:
    """``value`` as text for a rich print, shown as written: markup in it (a path holding ``[/]`` or ``[bold]``)
    is escaped, and the bytes of a file name that are not UTF-8 (surrogates in Python) appear as ``\\xNN``."""
    from rich.markup import escape

    text = str(value)
    try:
        text = text.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    except UnicodeEncodeError:
        text = text.encode("utf-8", "backslashreplace").decode("utf-8")
    return escape(text)


def _one_line(value: object) -> str:
    """:func:`_esc` with line breaks shown as ``\\n``: an error is one line."""
    return _esc(str(value).replace("\r", "\\r").replace("\n", "\\n"))


def _name_problem(exc: BaseException) -> FormcheckError | None:
    """A file name the system or a report cannot take, as the user's problem (exit 2) rather than a bug."""
    if isinstance(exc, OSError) and exc.errno == errno.ENAMETOOLONG:
        name = exc.filename if exc.filename is not None else ""
        return InputError(
            f"file name too long: {name}", "Use a shorter name (at most 255 bytes per name, including the extension)"
        )
    if isinstance(exc, UnicodeError) and "surrogates not allowed" in str(exc):
        return InputError(
            "a file name is not valid UTF-8 and cannot be written into the report",
            "Rename the file (or give the output another name) using UTF-8 characters",
        )
    return None


def _printable_streams() -> None:
    """A file name that is not UTF-8 reaches the terminal as ``\\udcNN`` instead of stopping the print."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            with contextlib.suppress(ValueError, OSError):
                reconfigure(errors="backslashreplace")


def _guarded(func):
    """Run a command; a FormcheckError becomes one line on stderr and its exit code."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        _printable_streams()
        try:
            return func(*args, **kwargs)
        except FormcheckError as exc:
            _err().print(f"[bold red]error:[/] {_one_line(exc)}", highlight=False, soft_wrap=True)
            raise typer.Exit(exc.exit_code) from None
        except KeyboardInterrupt:
            _err().print("interrupted", highlight=False)
            raise typer.Exit(EXIT_INTERRUPTED) from None
        except (typer.Exit, typer.Abort):
            raise
        except Exception as exc:
            if os.environ.get("FORMCHECK_DEBUG"):
                raise
            problem = _name_problem(exc)
            if problem is not None:
                _err().print(f"[bold red]error:[/] {_one_line(problem)}", highlight=False, soft_wrap=True)
                raise typer.Exit(problem.exit_code) from None
            _err().print(
                f"[bold red]internal error:[/] {exc.__class__.__name__}: {_one_line(exc)}. "
                "This is a bug in formcheck; rerun with FORMCHECK_DEBUG=1 and report the output.",
                highlight=False,
                soft_wrap=True,
            )
            raise typer.Exit(EXIT_INTERNAL) from None

    return wrapper


def _config(config: Optional[Path], profile: Optional[str], model: Optional[Model]):
    from .config import load_config

    overrides = {"pose.model": model.value} if model is not None else {}
    return load_config(config, profile, overrides)


def _version(value: bool) -> None:
    if value:
        _out().print(f"formcheck {__version__}")
        raise typer.Exit()


@app.callback()
def _main(
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Show the version and exit."
    ),
) -> None:
    """formcheck: form feedback for hip thrusts and Romanian deadlifts."""


def _progress_bars() -> tuple[Any, dict[str, Any]]:
    """``analyze``'s one live display on stderr: the pose bar, then (replacing it) the annotated-video bar.
    Returns the display (a context manager) and :func:`formcheck.runner.run_video`'s three progress callbacks.
    Made only when the command is not quiet: ``-q`` imports neither rich's progress bars nor its tables
    (docs/PERFORMANCE.md, "A cached re-judge under half a second")."""
    from rich.progress import BarColumn, Progress, TaskID, TextColumn, TimeRemainingColumn

    progress = Progress(
        TextColumn("[cyan]{task.description}[/]"),
        BarColumn(),
        TextColumn("{task.completed}/{task.total} frames"),
        TimeRemainingColumn(),
        console=_err(),
        transient=True,
    )
    bars: dict[str, TaskID] = {}
    frames: list[int | None] = [None]

    def on_meta(meta) -> None:
        frames[0] = meta.n_frames or None
        bars["pose"] = progress.add_task("pose", total=frames[0])

    def pose_progress(n: int) -> None:
        if "pose" in bars:
            progress.advance(bars["pose"], n)

    def video_progress(n: int) -> None:
        if "video" not in bars:
            if "pose" in bars:
                progress.update(bars["pose"], visible=False)
            bars["video"] = progress.add_task("video", total=frames[0])
        progress.advance(bars["video"], n)

    return progress, {"progress": pose_progress, "on_meta": on_meta, "video_progress": video_progress}


@app.command(cls=_NamesTheLifts)
@_guarded
def analyze(
    video: Path = typer.Argument(..., help="Video file of one set, filmed from the side."),
    exercise: str = _exercise_option(),
    view: View = typer.Option(
        View.auto, "--view", help="Force the camera view (side or oblique) instead of detecting it."
    ),
    model: Optional[Model] = typer.Option(None, "--model", "-m", help="Pose model (default: full, see README)."),
    profile: Optional[str] = typer.Option(
        None, "--profile", "-p", help="Threshold profile: default, slight, moderate, neutral."
    ),
    config: Optional[Path] = typer.Option(None, "--config", "-c", help="TOML file overriding thresholds."),
    json_path: Optional[Path] = typer.Option(None, "--json", help="Write the full report as JSON here."),
    csv_path: Optional[Path] = typer.Option(None, "--csv", help="Write per-frame angles as CSV here."),
    video_out: Optional[Path] = typer.Option(
        None, "--video-out", help="Write the video with skeleton, angles and flags drawn on (MP4)."
    ),
    video_preset: str = typer.Option(
        "superfast",
        "--video-preset",
        help="Annotated video encoding: ultrafast (quickest, biggest), superfast, veryfast (smallest, slowest).",
    ),
    html_path: Optional[Path] = typer.Option(
        None, "--html", help="Write a self-contained HTML report here (and the annotated video beside it)."
    ),
    open_html: bool = typer.Option(False, "--open", help="Open the HTML report in the web browser."),
    no_cache: bool = typer.Option(False, "--no-cache", help="Do not read or write the landmark cache."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="Print nothing but errors."),
) -> None:
    """Analyse one video: reps, verdicts per rule, and the cue for every flagged rep."""
    from .runner import Outputs, run_video

    if open_html and not html_path:
        raise ConfigError("--open needs --html PATH", "Add --html report.html")
    cfg = _config(config, profile, model)
    if html_path and not video_out:
        video_out = html_path.with_name(html_path.stem + ".annotated.mp4")
        if video_out.resolve() == video.resolve():  # the input is itself an annotated video of that name
            video_out = html_path.with_name(html_path.stem + ".annotated-2.mp4")
    outputs = Outputs(json=json_path, csv=csv_path, html=html_path, video=video_out, video_preset=video_preset)
    display, callbacks = (contextlib.nullcontext(), {}) if quiet else _progress_bars()
    with display:
        analysis = run_video(
            video,
            cfg,
            outputs,
            exercise=None if exercise == "auto" else exercise,
            view=None if view == View.auto else view.value,
            use_cache=not no_cache,
            **callbacks,
        )
    if open_html and html_path is not None:
        import webbrowser

        webbrowser.open(html_path.resolve().as_uri())
    if not quiet:
        from .report.console import print_report

        print_report(analysis, _out())
        for label, path in (
            ("JSON", json_path),
            ("CSV", csv_path),
            ("Annotated video", video_out),
            ("HTML", html_path),
        ):
            if path:
                _out().print(f"[dim]{label} written to {_esc(path)}[/]", highlight=False, soft_wrap=True)


@app.command("eval")
@_guarded
def evaluate_cmd(
    folder: Optional[Path] = typer.Argument(None, help="Folder with clips and labels.json (or rendered clips)."),
    landmarks: Optional[Path] = typer.Option(
        None, "--landmarks", help="Folder of cached landmarks (<clip>.<model>.npz) to use instead of running the model."
    ),
    model: Optional[Model] = typer.Option(None, "--model", "-m", help="Pose model (default: full)."),
    profile: Optional[str] = typer.Option(None, "--profile", "-p", help="Threshold profile."),
    config: Optional[Path] = typer.Option(None, "--config", "-c", help="TOML file overriding thresholds."),
    json_path: Optional[Path] = typer.Option(None, "--json", help="Write per-clip results and totals as JSON here."),
    markdown: Optional[Path] = typer.Option(
        None, "--markdown", help="Write the per-clip table and totals as Markdown here."
    ),
    sensitivity: Optional[Path] = typer.Option(
        None,
        "--sensitivity",
        help="Render (or re-read) a graded grid of rendered faults in this folder and report per rule the "
        "detection rate against true size and false flags on clean reps (needs the 'synth' extra).",
    ),
    quick: bool = typer.Option(False, "--quick", help="With --sensitivity: the small grid (0 and 30°, one body)."),
    grid: Optional[str] = typer.Option(
        None,
        "--grid",
        help="With --sensitivity: quick (0 and 30°, one body), rates (0/15/30/45°, two bodies, the fault size "
        "repeated: detection and false-flag rates), full (every size, three bodies, both facings) or bodies (0, 7.5 "
        "and 15°, six bodies, both facings: a rule's bias across lifters) or oblique (the same at 15, 30 and 45°).",
    ),
    kind: Optional[list[str]] = typer.Option(
        None, "--kind", help="With --sensitivity: only this fault kind (repeatable; see formcheck synth --help)."
    ),
) -> None:
    """Score the analysis against labelled clips: rep counts, rep timing, lift and view."""
    from rich.table import Table

    from .evaluate import evaluate, reps_by_lift_text, to_json, to_markdown
    from .report.json_report import dumps

    cfg = _config(config, profile, model)
    if sensitivity is not None:
        from . import sensitivity as sens

        if grid is not None and grid not in sens.GRIDS:
            raise ConfigError(f"unknown grid {grid!r}", f"Use one of: {', '.join(sens.GRIDS)}")
        unknown = sorted(set(kind or ()) - set(sens.KIND_BY_NAME))
        if unknown:
            raise ConfigError(f"unknown fault kind {unknown[0]!r}", f"Use one of: {', '.join(sens.KIND_BY_NAME)}")
        result = sens.run(
            sensitivity,
            cfg,
            grid or ("quick" if quick else "full"),
            kinds=kind or None,
            on_clip=lambda line: _err().print(_esc(line), highlight=False),
        )
        md, svg = sens.write_outputs(result, sensitivity, markdown)
        _out().print(_esc(sens.to_markdown(result, sens.fault_units())), highlight=False, soft_wrap=True)
        _out().print(
            f"[dim]written: {_esc(md)}, {_esc(svg)}, {_esc(sensitivity / 'sensitivity.json')}[/]", highlight=False
        )
        return
    if folder is None:
        raise ConfigError("give a FOLDER of labelled clips, or --sensitivity FOLDER", "See formcheck eval --help")
    if not folder.is_dir():
        raise InputError(f"{folder} is not a folder", "Give the folder that holds labels.json")
    table = Table(header_style="bold")
    for col in ("clip", "lift (label)", "view (label)", "reps (label)", "lockout err s"):
        table.add_column(col, no_wrap=col != "lockout err s")

    def ok(flag: bool | None) -> str:
        return "" if flag is None else ("✔" if flag else "✖")

    def on_clip(r) -> None:
        if r.status != "ok":
            table.add_row(_esc(r.file), f"error: {_esc(r.error)}", "", "", "")
            return
        lock = ", ".join(f"{e:+.2f}" for e in r.lockout_err_s) or "–"
        reps = f"{r.reps} ({r.reps_true}) {ok(r.reps_exact) if r.counted else '·'}"
        table.add_row(
            _esc(r.file),
            f"{'unknown: ' + '? '.join(r.guesses) + '?' if r.guesses else r.exercise} ({r.exercise_true}) {ok(r.family_ok)}",
            f"{r.view} ({r.view_true}) {ok(r.view_ok)}",
            reps,
            lock,
        )

    with _err().status("evaluating…"):
        results, totals = evaluate(folder, cfg, landmarks, on_clip=on_clip)
    _out().print(table)
    pct = lambda x: "–" if x is None else f"{x:.1%}"  # noqa: E731
    _out().print(
        f"[bold]Totals[/] {totals['clips']} clips ({totals['errors']} errors) · lift family {pct(totals['family_accuracy'])}"
        f" · lift {pct(totals['lift_accuracy'])} ({totals['lift_named_wrong']} named wrong, {totals['unknown_lift_clips']} "
        f"unknown with the best guess right in {totals['unknown_lift_best_guess_right']}) · view {pct(totals['view_accuracy'])} · reps exact {pct(totals['reps_exact'])}, within one "
        f"{pct(totals['reps_within_one'])} of {totals['rep_clips']} usable hinge/bridge clips · "
        f"lockout error {totals['lockout_mae_s']} s, bottom error {totals['bottom_mae_s']} s (mean abs) · "
        f"flagged reps on fault-free labelled clips {totals['clean_reps_flagged']}/{totals['clean_reps_judged']}"
    )
    if form := totals.get("form"):
        _out().print(
            f"[bold]Form-labelled clips[/] {form['clips']} · lift family {pct(form['family_accuracy'])} · lift {pct(form['lift_accuracy'])} "
            f"({form['lift_named_wrong']} named wrong, {form['unknown_lift_clips']} unknown with the best guess right in "
            f"{form['unknown_lift_best_guess_right']}) · view "
            f"{pct(form['view_accuracy'])} · reps exact {pct(form['reps_exact'])} · verdicts on "
            f"{form['clips_within_45_with_verdicts']}/{form['clips_within_45']} clips within 45° of the side · "
            f"agreed faults {form['agreed_faults']} ({', '.join(f'{k} {v}' for k, v in form['agreed_outcomes'].items())})"
            f" · clean reps flagged {form['clean_reps_false_alarm']}/{form['clean_reps']}"
        )
    if by_lift := totals.get("reps_by_lift"):
        _out().print(f"[bold]Rep count exact per labelled lift[/] (every label file) {reps_by_lift_text(by_lift)}")
    if json_path:
        json_path.parent.mkdir(parents=True, exist_ok=True)
        json_path.write_text(dumps(to_json(results, totals)) + "\n")
    if markdown:
        markdown.parent.mkdir(parents=True, exist_ok=True)
        markdown.write_text(to_markdown(results, totals))


@app.command(
    context_settings={"allow_extra_args": True, "ignore_unknown_options": True, "help_option_names": []},
    add_help_option=False,
)
def synth(ctx: typer.Context) -> None:
    """Render a synthetic lifter clip with exact labels (needs the 'synth' extra). Try: formcheck synth --help"""
    try:
        from .synth.__main__ import main as synth_main
    except ImportError as exc:
        _err().print(
            f"[bold red]error:[/] the renderer needs numba ({exc.name} is not installed). "
            "Install it with: pip install 'formcheck[synth]'",
            highlight=False,
        )
        raise typer.Exit(2) from None
    raise typer.Exit(synth_main(list(ctx.args)))


@app.command()
@_guarded
def rules(
    why: bool = typer.Option(False, "--why", help="Also list the rules not judged yet on each lift, and why."),
    profile: Optional[str] = typer.Option(None, "--profile", "-p", help="As judged with this profile."),
    config: Optional[Path] = typer.Option(None, "--config", "-c", help="As judged with this TOML file on top."),
) -> None:
    """List every rule with its cue and the views it gives verdicts from."""
    from .report.console import rules_tables

    for table in rules_tables(_config(config, profile, None), why):
        _out().print(table)


@app.command("config")
@_guarded
def show_config(
    profile: Optional[str] = typer.Option(None, "--profile", "-p", help="Show this profile's values."),
    config: Optional[Path] = typer.Option(None, "--config", "-c", help="Apply this TOML file on top."),
) -> None:
    """Show every setting with its value and where it comes from in COACHING.md."""
    from rich.table import Table

    from .config import allowed_ranges, describe, profiles

    cfg = _config(config, profile, None)
    _out().print(f"profiles: {', '.join(profiles())} (showing {_esc(cfg.profile)})", highlight=False)
    table = Table(header_style="bold")
    for col in ("key", "value", "allowed", "meaning"):
        table.add_column(col, no_wrap=col != "meaning")
    ranges = allowed_ranges(cfg)
    for key, value, doc in describe(cfg):
        table.add_row(key, _esc(value), str(ranges.get(key, "")), _esc(doc))
    _out().print(table)


class Engine(str, Enum):
    local = "local"
    dask = "dask"


@app.command("batch", cls=_NamesTheLifts)
@_guarded
def batch_cmd(
    input_dir: Path = typer.Argument(..., help="Folder of videos (searched recursively; non-videos are skipped)."),
    output: Path = typer.Option(..., "--output", "-o", help="Folder for the reports, summary.csv/json and index.html."),
    exercise: str = _exercise_option(),
    view: View = typer.Option(
        View.auto, "--view", help="Force the camera view (side or oblique) instead of detecting it."
    ),
    model: Optional[Model] = typer.Option(None, "--model", "-m", help="Pose model (default: full, see README)."),
    profile: Optional[str] = typer.Option(
        None, "--profile", "-p", help="Threshold profile: default, slight, moderate, neutral."
    ),
    config: Optional[Path] = typer.Option(None, "--config", "-c", help="TOML file overriding thresholds."),
    csv_out: bool = typer.Option(False, "--csv", help="Also write per-frame angles as CSV for every video."),
    html_out: bool = typer.Option(False, "--html", help="Also write an HTML report for every video."),
    jobs: Optional[int] = typer.Option(None, "--jobs", "-j", min=1, help="Worker processes (default: CPU count)."),
    engine: Engine = typer.Option(
        Engine.local, "--engine", help="local: processes on this machine; dask: a Dask cluster."
    ),
    scheduler: Optional[str] = typer.Option(
        None, "--scheduler", help="Dask scheduler address (tcp://HOST:8786); default: a local cluster."
    ),
    force: bool = typer.Option(False, "--force", help="Redo videos that already have a matching result."),
    no_cache: bool = typer.Option(False, "--no-cache", help="Do not read or write the landmark cache."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="Print nothing but errors."),
) -> None:
    """Analyse every video in a folder (resumable; exit code 1 when any video failed). See docs/BATCH.md."""
    from .batch import run_batch

    cfg = _config(config, profile, model)
    rows = run_batch(
        input_dir,
        output,
        config=cfg,
        exercise=None if exercise == "auto" else exercise,
        view=None if view == View.auto else view.value,
        csv=csv_out,
        html=html_out,
        jobs=jobs,
        engine=engine.value,
        scheduler=scheduler,
        force=force,
        use_cache=not no_cache,
        console=None if quiet else _err(),
    )
    failed = [r for r in rows if r["status"] == "failed"]
    if not quiet:
        ok = sum(r["status"] == "ok" for r in rows)
        reused = sum(bool(r.get("resumed")) for r in rows)
        skipped = sum(r["status"] == "skipped" for r in rows)
        for row in failed:
            _err().print(
                f"[red]failed[/] {_one_line(row['path'])}: {_one_line(row['error'])}", highlight=False, soft_wrap=True
            )
        _out().print(
            f"{ok} analysed ({reused} already done), {len(failed)} failed, {skipped} skipped · "
            f"summary in {_esc(output / 'index.html')}",
            highlight=False,
        )
    if failed:
        raise typer.Exit(1)


@app.command("serve")
@_guarded
def serve_cmd(
    data_dir: Optional[Path] = typer.Option(
        None, "--data-dir", help="Folder of the database and the videos (default: ~/.local/share/formcheck)."
    ),
    database_url: Optional[str] = typer.Option(
        None, "--database-url", help="Database (default: SQLite in --data-dir), e.g. postgresql+psycopg://u:p@host/db."
    ),
    host: Optional[str] = typer.Option(None, "--host", help="Address to listen on (default 127.0.0.1)."),
    port: Optional[int] = typer.Option(None, "--port", help="Port (default 8000; 0: any free port)."),
    jobs: Optional[int] = typer.Option(None, "--jobs", "-j", min=1, help="Analyses at once (default 1)."),
    dask_scheduler: Optional[str] = typer.Option(
        None, "--dask-scheduler", help="Run the analyses on this Dask scheduler (tcp://HOST:8786)."
    ),
    max_upload_mb: Optional[int] = typer.Option(None, "--max-upload-mb", help="Largest upload (default 500 MB)."),
) -> None:
    """Start the coach review web app (extra 'web'): clients upload, the coach reviews. See docs/WEB.md."""
    from .errors import ConfigError

    try:
        import fastapi  # noqa: F401
        import uvicorn  # noqa: F401

        from .web import serve
        from .web.settings import WebSettings
    except ImportError as exc:
        raise ConfigError(
            f"the web app needs '{exc.name}', which is not installed", "Install it with: pip install 'formcheck[web]'"
        ) from None
    settings = WebSettings.from_env(
        data_dir=data_dir,
        database_url=database_url,
        host=host,
        port=port,
        jobs=jobs,
        dask_scheduler=dask_scheduler,
        max_upload_mb=max_upload_mb,
    )
    serve(settings, announce=lambda text: _out().print(_esc(text), highlight=False, soft_wrap=True))


def main(argv: list[str] | None = None) -> int:
    """Run the ``formcheck`` command with ``argv``; returns the exit code (for tests and scripts)."""
    try:
        app(args=argv, prog_name="formcheck")
    except SystemExit as exc:
        return int(exc.code or 0) if not isinstance(exc.code, str) else 1
    return 0


def entry() -> None:
    app(prog_name="formcheck")


if __name__ == "__main__":
    entry()
