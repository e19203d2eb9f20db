"""One video, end to end: pose landmarks (model or cache), the analysis, and the reports asked for.

The single path shared by ``formcheck analyze`` (:func:`formcheck.cli.analyze`) and every batch worker
(:func:`formcheck.batch.process_one`). What differs between the two stays with the caller: the command
prints and shows progress bars; the batch keys results, writes ``.done`` manifests and keeps one pose
estimator per worker process, which it hands in as ``estimator``.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, fields
from pathlib import Path
from typing import TYPE_CHECKING

from .config import Config
from .errors import ConfigError, OutputError

if TYPE_CHECKING:
    from .analysis import Analysis
    from .pose import PoseEstimator
    from .types import VideoMeta

ProgressFn = Callable[[int], None]


@dataclass(frozen=True)
class Outputs:
    """Where to write the reports of one video; ``None``: not wanted.

    ``video`` is the annotated video (H.264 MP4, encoded with ``video_preset``); an ``html`` report shows
    it when both are written.
    """

    json: Path | None = None
    csv: Path | None = None
    html: Path | None = None
    video: Path | None = None
    video_preset: str = "superfast"

    def __post_init__(self) -> None:
        from .report import PRESETS

        if self.video_preset not in PRESETS:
            raise ConfigError(f"unknown --video-preset '{self.video_preset}'", f"Use one of: {', '.join(PRESETS)}")

    def requested(self) -> dict[str, Path]:
        """The reports asked for, by kind (``json``, ``csv``, ``html``, ``video``)."""
        return {f.name: p for f in fields(self) if isinstance(p := getattr(self, f.name), Path)}

    def check(self, source: str | Path) -> None:
        """Refuse outputs that would overwrite the input video or each other, or replace something that is
        not a regular file (a folder, a device such as /dev/stdout, a link): nothing is analysed then."""
        src = Path(source).resolve()
        seen: dict[Path, str] = {}
        for kind, path in self.requested().items():
            flag = "--video-out" if kind == "video" else f"--{kind}"
            target = path.resolve()
            if target == src:
                raise ConfigError(
                    f"{flag} {path} is the input video: writing it would destroy the video", f"Give {flag} another name"
                )
            if target in seen:
                raise ConfigError(f"{flag} and {seen[target]} both write {path}", "Give every report its own file name")
            seen[target] = flag
            if path.is_symlink() or (path.exists() and not path.is_file()):
                what = "a folder" if path.is_dir() else ("a link" if path.is_symlink() else "not a regular file")
                raise ConfigError(f"{flag} {path} is {what}: formcheck only writes regular files", "Give a file name")
            _check_folder(flag, path)


def _check_folder(flag: str, path: Path) -> None:
    """Refuse, before the analysis, an output whose folder cannot be: a file on its way (``--json a.txt/r.json``),
    or a folder this process may not write to (read-only, not ours)."""
    folder = path.parent
    while not folder.exists() and folder != folder.parent:
        if folder.is_symlink():  # a dangling link: mkdir would fail on it
            break
        folder = folder.parent
    if folder.exists() and not folder.is_dir():
        raise ConfigError(
            f"{flag} {path}: {folder} is a file, not a folder", "Give a path inside a folder (or remove that file)"
        )
    if folder.is_dir() and not os.access(folder, os.W_OK | os.X_OK):
        raise OutputError(
            f"{flag} {path}: cannot write in {folder} (read-only or not yours)",
            "Write the reports to a folder you can write to",
        )


def write_reports(
    analysis: Analysis, outputs: Outputs, source: str | Path, video_progress: ProgressFn | None = None
) -> dict[str, Path]:
    """Write the requested reports of ``analysis`` of the video ``source``; returns them by kind.

    Every writer writes under a temporary name and renames, so a report that exists is complete. The
    annotated video comes before the HTML report, which embeds or links it.
    """
    if outputs.json is not None:
        from .report.json_report import write_json

        write_json(analysis, outputs.json)
    if outputs.csv is not None:
        from .report.csv_report import write_csv

        write_csv(analysis, outputs.csv)
    if outputs.video is not None:
        from .report.overlay import write_annotated_video

        write_annotated_video(analysis, source, outputs.video, progress=video_progress, preset=outputs.video_preset)
    if outputs.html is not None:
        from .report.html import write_html

        write_html(analysis, outputs.html, outputs.video)
    return outputs.requested()


def run_video(
    path: str | Path,
    config: Config,
    outputs: Outputs,
    *,
    exercise: str | None = None,
    view: str | None = None,
    estimator: PoseEstimator | None = None,
    use_cache: bool = True,
    progress: ProgressFn | None = None,
    on_meta: Callable[[VideoMeta], None] | None = None,
    video_progress: ProgressFn | None = None,
) -> Analysis:
    """Analyse the video at ``path`` (:func:`formcheck.pipeline.analyze_video`) and write ``outputs``.

    ``exercise`` forces the lift, ``view`` the camera view (side or oblique). ``estimator``: a pose
    estimator kept across videos (a batch worker's); the pipeline reads the landmark cache first and runs
    it only on a miss. Without one, the pipeline makes its own on a cache miss. ``use_cache=False`` neither reads nor writes the
    cache. ``progress(n)``: pose frames done; ``on_meta(meta)``: the video's metadata, before the pose
    stage; ``video_progress(n)``: annotated-video frames written. Raises :class:`FormcheckError` like
    the pipeline; a report that was not written is not left half-written.
    """
    from .pipeline import analyze_video

    outputs.check(path)
    analysis = analyze_video(path, config, exercise, estimator, use_cache, progress, on_meta, view=view)
    write_reports(analysis, outputs, path, video_progress)
    return analysis
