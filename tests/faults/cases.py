"""The fault corpus as data: one row per case, what to make and what formcheck must answer.

``FILES``: inputs that are not (good) videos, or are videos in odd shapes; ``NAMES``: a good clip under a name
that has broken tools before; both are run through ``formcheck analyze`` one by one and all together through
one ``formcheck batch``. ``OUTPUTS``: report paths that must be refused or must work; ``CONFIGS``: config files
and options; ``WRITES``: a full disk, a read-only or forbidden folder (:mod:`tests.faults.inject.faultinject`);
``BATCH_RUNS``: whole batch runs with such problems.

Exit codes (README "Exit codes"): 0 done, 1 a batch with failed videos, 2 bad input/config/option, 3 nobody
in the video, 5 a report could not be written.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from tests.faults import inputs as mk

JSON = ("--json", "{out}/r.json")
#: ``Case.config`` that makes ``coach.toml`` a folder.
FOLDER = "<a folder>"


@dataclass(frozen=True)
class Case:
    """One fault case.

    ``make(folder, name)`` creates the input (None: the base clip); ``code`` and ``needles`` are what
    ``formcheck analyze INPUT -q ARGS`` must answer (``usage``: a click usage error rather than formcheck's
    one line); ``batch`` the status of the input's row in the corpus batch (None: not put in it); ``inject``
    a write failure ``ERRNO:{out}...`` for the run; ``outputs`` the files (relative to the case's folder) a
    successful run writes; ``config`` the content of ``{ws}/coach.toml`` (:data:`FOLDER`: a folder there).
    """

    id: str
    make: mk.Maker | None = None
    name: str = "set.mp4"
    code: int = 0
    needles: tuple[str, ...] = ()
    batch: str | None = None
    args: tuple[str, ...] = JSON
    usage: bool = False
    inject: str | None = None
    outputs: tuple[str, ...] = field(default=("out/r.json",))
    config: str | bytes | None = None


def _ok(id: str, name: str, make: mk.Maker | None = None) -> Case:
    return Case(id, make or mk.clip, name=name, batch="ok")


def _bad(id: str, make: mk.Maker, needle: str, batch: str | None, code: int = 2, name: str = "set.mp4") -> Case:
    return Case(id, make, name=name, code=code, needles=(needle,), batch=batch, outputs=())


FILES: list[Case] = [
    _ok("good-clip", "set.mp4"),
    _ok("good-rdl", "rdl.mp4", mk.rdl),
    _ok("remux-mkv", "set.mkv", mk.remuxed("matroska")),
    _ok("remux-mov", "set.mov", mk.remuxed("mov")),
    _ok("remux-ts", "set.ts", mk.remuxed("mpegts")),
    _ok("remux-mkv-named-mp4", "set.mp4", mk.remuxed("matroska")),
    _ok("no-extension", "set", mk.clip),
    _ok("upper-case-extension", "SET.MP4", mk.clip),
    _ok("link-to-clip", "link.mp4", mk.link_to_clip),
    _ok("cut-at-80pct", "cut80.mp4", mk.cut(0.8)),
    _ok("cut-at-65pct", "cut65.mp4", mk.cut(0.65)),
    _ok("damaged-at-70pct", "dmg70.mp4", mk.cut(0.7, "damaged")),
    _bad("missing-file", mk.missing, "no such file", None),
    _bad("dangling-link", mk.dangling_link, "no such file", "failed"),
    _bad("folder", mk.subfolder, "is a folder", None),
    _bad("empty-mp4", mk.data(b""), "empty (0 bytes)", "failed"),
    _bad("empty-mov", mk.data(b""), "empty (0 bytes)", "failed", name="set.mov"),
    _bad("empty-txt", mk.data(b""), "empty (0 bytes)", "skipped", name="notes.txt"),
    _bad("text-as-mp4", mk.data(b"just some text\n"), "not a readable video", "skipped"),
    _bad("json-as-mp4", mk.data(b'{"reps": 3}\n'), "not a readable video", "skipped"),
    _bad("html-as-mp4", mk.data(b"<html><script>alert(1)</script></html>"), "not a readable video", "skipped"),
    _bad("random-64k", mk.random_bytes(65536), "not a readable video", "skipped"),
    _bad("random-1k-mkv", mk.random_bytes(1024, 1), "not a readable video", "skipped", name="set.mkv"),
    _bad("zeros-100k", mk.data(bytes(100_000)), "not a readable video", "skipped"),
    _bad("nul-byte", mk.data(b"\x00"), "not a readable video", "skipped"),
    _bad("mp4-header-only", mk.header_only, "set.mp4", "failed"),
    _bad("png-as-mp4", mk.picture(".png"), "a still image (png)", "skipped"),
    _bad("jpeg-as-mp4", mk.picture(".jpg"), "a still image (mjpeg)", "skipped"),
    _bad("jpeg-as-mov", mk.picture(".jpg"), "a still image", "skipped", name="set.mov"),
    _bad("bmp-as-mp4", mk.picture(".bmp"), "a still image (bmp)", "skipped"),
    _bad("webp-as-mp4", mk.picture(".webp"), "a still image", "skipped"),
    _bad("tiff-as-mp4", mk.picture(".tiff"), "a still image (tiff)", "skipped"),
    _bad("ppm-as-mp4", mk.picture(".ppm"), "a still image", "skipped"),
    _bad("png-as-png", mk.picture(".png"), "a still image (png)", "skipped", name="photo.png"),
    _bad("gif-one-frame", mk.gif_still, "a still image (gif)", "skipped", name="set.gif"),
    _bad("audio-m4a", mk.audio_only("mp4", "aac"), "no video stream", "skipped", name="voice.m4a"),
    _bad("audio-as-mp4", mk.audio_only("mp4", "aac"), "no video stream", "skipped"),
    _bad("audio-wav", mk.audio_only("wav", "pcm_s16le"), "no video stream", "skipped", name="voice.wav"),
    _bad("one-frame", mk.generated(1), "too short to analyse", "failed"),
    _bad("two-frames", mk.generated(2), "too short to analyse", "failed"),
    _bad("tiny-4x4", mk.generated(3, 4, 4), "too short to analyse", "failed"),
    _bad("nobody", mk.generated(60, nobody=True), "no person found", "failed", code=3),
    _bad("nobody-wide", mk.generated(45, 256, 32, nobody=True), "no person found", "failed", code=3),
    _bad("nobody-tall", mk.generated(45, 32, 256, nobody=True), "no person found", "failed", code=3),
    _bad("cut-at-5pct", mk.cut(0.05), "corrupt or truncated", "failed"),
    _bad("cut-at-30pct", mk.cut(0.3), "cut short or damaged", "failed"),
    _bad("damaged-at-20pct", mk.cut(0.2, "damaged"), "cut short or damaged", "failed"),
    _bad("cut-index-lost", mk.cut_plain(0.5), "set.mp4", "failed"),
    _bad("cut-index-lost-90pct", mk.cut_plain(0.9), "set.mp4", "failed"),
    _bad("damaged-header", mk.cut(0.0, "damaged"), "set.mp4", "skipped"),
    _bad("fifo", mk.fifo, "a named pipe (FIFO), not a video file", "skipped", name="pipe.mp4"),
    _bad("socket", mk.unix_socket, "a socket, not a video file", "skipped", name="sock.mp4"),
    _bad("device", mk.device, "a device, not a video file", None),
]

#: A good clip under a name that has broken tools before (markup, links, formulas, collisions, bytes).
NAMES: list[Case] = [
    _ok(f"name-{i:02d}", name)
    for i, name in enumerate(
        [
            "with space.mp4",
            "  leading spaces.mp4",
            "trailing space .mp4",
            "caf\u00e9 \u00fcber \u2603.mp4",
            "\U0001f3cb lift.mp4",
            "\u0645\u0631\u062d\u0628\u0627.mp4",
            "[bold]red[/].mp4",
            "[/].mp4",
            "[link=x]y.mp4",
            "javascript:alert(1).mp4",
            '=HYPERLINK("http:..").mp4',
            "@SUM(1+1).mp4",
            "+1.mp4",
            "-dash.mp4",
            "--help.mp4",
            "new\nline.mp4",
            "tab\there.mp4",
            "cr\rhere.mp4",
            "quote'\"both.mp4",
            "<script>alert(1)<\\script>.mp4",
            "<img src=x onerror=alert(1)>.mp4",
            "a#b?c=d.mp4",
            "%41%2F.mp4",
            "100%.mp4",
            "summary.mp4",
            "index.mp4",
            "SUMMARY",
            "index.html",
            "summary.csv",
            "summary_.mp4",
            "set.mp4.json",
            "a" * 251 + ".mp4",
            "con.mp4",
            "back\\slash.mp4",
            "x&amp;y.mp4",
            "x..mp4",
            "*?.mp4",
            "$(touch pwned).mp4",
            "`id`.mp4",
            "{in}.mp4",
        ]
    )
] + [
    Case("name-not-utf8", mk.clip, name="caf\udce9 \udcff.mp4", batch="ok"),
    Case("name-hidden", mk.clip, name=".hidden.mp4", batch="absent"),
]

OUTPUTS: list[Case] = [
    Case("out-json-is-input", args=("--json", "{in}"), code=2, needles=("is the input video",), outputs=()),
    Case("out-csv-is-input", args=("--csv", "{in}"), code=2, needles=("is the input video",), outputs=()),
    Case("out-html-is-input", args=("--html", "{in}"), code=2, needles=("is the input video",), outputs=()),
    Case("out-video-is-input", args=("--video-out", "{in}"), code=2, needles=("is the input video",), outputs=()),
    Case(
        "out-json-csv-same",
        args=("--json", "{out}/a", "--csv", "{out}/a"),
        code=2,
        needles=("both write",),
        outputs=(),
    ),
    Case(
        "out-html-video-same",
        args=("--html", "{out}/a", "--video-out", "{out}/a"),
        code=2,
        needles=("both write",),
        outputs=(),
    ),
    Case("out-json-is-folder", args=("--json", "{out}"), code=2, needles=("is a folder",), outputs=()),
    Case("out-json-device", args=("--json", "/dev/null"), code=2, needles=("not a regular file",), outputs=()),
    Case("out-json-fifo", args=("--json", "{ws}/pipe"), code=2, needles=("not a regular file",), outputs=()),
    Case("out-json-link", args=("--json", "{ws}/link.json"), code=2, needles=("a link",), outputs=()),
    Case(
        "out-parent-is-file",
        args=("--json", "{ws}/file.txt/r.json"),
        code=2,
        needles=("is a file, not a folder",),
        outputs=(),
    ),
    Case(
        "out-grandparent-is-file",
        args=("--csv", "{ws}/file.txt/a/b/r.csv"),
        code=2,
        needles=("is a file, not a folder",),
        outputs=(),
    ),
    Case(
        "out-name-too-long",
        args=("--json", "{out}/" + "r" * 300 + ".json"),
        code=2,
        needles=("file name too long",),
        outputs=(),
    ),
    Case("out-new-folders", args=("--json", "{out}/new/sub/r.json"), outputs=("out/new/sub/r.json",)),
    Case("out-csv", args=("--csv", "{out}/a.csv"), outputs=("out/a.csv",)),
    Case("out-markup-name", args=("--json", "{out}/[bold]r[/].json"), outputs=("out/[bold]r[/].json",)),
    Case(
        "out-html-with-video",
        args=("--html", "{out}/r.html"),
        outputs=("out/r.html", "out/r.annotated.mp4"),
    ),
    Case(
        "out-derived-video-is-input",
        make=mk.clip,
        name="r.annotated.mp4",
        args=("--html", "{ws}/in/r.html"),
        outputs=("in/r.html", "in/r.annotated-2.mp4"),
    ),
    Case(
        "out-bad-preset",
        args=("--video-out", "{out}/v.mp4", "--video-preset", "slowest"),
        code=2,
        outputs=(),
        needles=("unknown --video-preset",),
    ),
    Case("out-open-without-html", args=("--open",), code=2, needles=("--open needs --html",), outputs=()),
]

WRITES: list[Case] = [
    Case(f"write-{kind}-{errno_}", args=args, code=code, needles=needles, inject=f"{errno_}:{{out}}", outputs=())
    for errno_, code, needles in [
        ("ENOSPC", 5, ("the disk is full", "Free some space")),
        ("EIO", 5, ("could not write",)),
        ("EROFS", 5, ("cannot write in", "read-only")),
        ("EACCES", 5, ("cannot write in",)),
    ]
    for kind, args in [
        ("json", JSON),
        ("csv", ("--csv", "{out}/a.csv")),
        ("video", ("--video-out", "{out}/v.mp4")),
        ("html", ("--html", "{out}/r.html")),
        ("deep", ("--json", "{out}/x/y/r.json")),
    ]
]


def _config(id: str, text: str | bytes | None, needles: tuple[str, ...], args: tuple[str, ...] = ()) -> Case:
    """A config case: ``text`` is written to ``{ws}/coach.toml`` (None: that path is a folder)."""
    return Case(
        f"config-{id}",
        args=(*JSON, "--config", "{ws}/coach.toml", *args),
        code=2,
        needles=needles,
        outputs=(),
        config=FOLDER if text is None else text,
    )


CONFIG_TEXTS: dict[str, tuple[str | bytes | None, tuple[str, ...]]] = {
    "nan": ("[rdl]\nwarn_margin_deg = nan\n", ("rdl.warn_margin_deg", "nan")),
    "inf": ("[rdl]\nwarn_margin_deg = inf\n", ("rdl.warn_margin_deg", "inf")),
    "minus-inf": ("[reps]\nmin_low_s = -inf\n", ("reps.min_low_s",)),
    "negative": ("[reps]\nmin_low_s = -1.0\n", ("reps.min_low_s", "-1.0")),
    "too-big": ("[hip_thrust]\nlockout_min_deg = 1e9\n", ("hip_thrust.lockout_min_deg",)),
    "cutoff-zero": ("[cleaning]\ncutoff_hz = 0\n", ("cleaning.cutoff_hz",)),
    "string": ('[rdl]\nwarn_margin_deg = "ten"\n', ("rdl.warn_margin_deg",)),
    "bool": ("[rdl]\nwarn_margin_deg = true\n", ("rdl.warn_margin_deg",)),
    "array": ("[rdl]\nwarn_margin_deg = [1, 2]\n", ("rdl.warn_margin_deg",)),
    "unknown-key": ("[rdl]\nknee_drift = 3.0\n", ("unknown config key 'rdl.knee_drift'",)),
    "unknown-section": ("[squat]\ndepth = 3.0\n", ("squat",)),
    "top-level-value": ("threshold = 3\n", ("threshold",)),
    "bad-toml": ("[rdl\nwarn_margin_deg = \n", ("coach.toml",)),
    "binary": (b"\x00\xff\xfe\x89PNG\r\n\x1a\n", ("not a text file",)),
    "latin1": ("[rdl]\n# caf\xe9\n".encode("latin-1"), ("coach.toml",)),
    "folder": (None, ("is a folder",)),
    "max-people-zero": ("[pose]\nmax_people = 0\n", ("pose.max_people",)),
    "model-name": ('[pose]\nmodel = "huge"\n', ("huge",)),
}
CONFIGS: list[Case] = [_config(k, text, needles) for k, (text, needles) in CONFIG_TEXTS.items()] + [
    Case("config-missing-file", args=(*JSON, "--config", "{ws}/nope.toml"), code=2, needles=("nope.toml",), outputs=()),
    Case("config-empty-file-is-fine", args=(*JSON, "--config", "{ws}/coach.toml"), config=""),
    Case("option-unknown-profile", args=(*JSON, "--profile", "hard"), code=2, needles=("hard",), outputs=()),
    Case("option-model", args=(*JSON, "--model", "huge"), code=2, needles=("huge",), usage=True, outputs=()),
    Case("option-exercise", args=(*JSON, "--exercise", "curl"), code=2, needles=("curl",), usage=True, outputs=()),
    Case("option-view", args=(*JSON, "--view", "top"), code=2, needles=("top",), usage=True, outputs=()),
    Case("option-unknown", args=(*JSON, "--fast"), code=2, needles=("--fast",), usage=True, outputs=()),
]

ANALYZE_CASES: list[Case] = FILES + NAMES + OUTPUTS + WRITES + CONFIGS
BATCH_CASES: list[Case] = [c for c in FILES + NAMES if c.batch is not None]


@dataclass(frozen=True)
class BatchRun:
    """A whole ``formcheck batch`` run with a problem: ``args`` after ``batch``; ``rows`` expected in its
    summary (None: no summary can be written)."""

    id: str
    args: tuple[str, ...]
    code: int
    needles: tuple[str, ...] = ()
    rows: dict[str, str] | None = None
    inject: str | None = None
    usage: bool = False


#: The folder every batch run gets: two good clips (one in a subfolder) and a text file.
BATCH_FOLDER = {"a.mp4": "clip", "sub/b.mp4": "clip", "notes.txt": "text"}
GOOD_ROWS = {"a.mp4": "ok", "sub/b.mp4": "ok", "notes.txt": "skipped"}

BATCH_RUNS: list[BatchRun] = [
    BatchRun("batch-fine", ("{in}", "-o", "{out}"), 0, rows=GOOD_ROWS),
    BatchRun("batch-input-missing", ("{ws}/nope", "-o", "{out}"), 2, ("is not a folder",)),
    BatchRun("batch-input-is-file", ("{in}/a.mp4", "-o", "{out}"), 2, ("is not a folder",)),
    BatchRun("batch-output-is-file", ("{in}", "-o", "{ws}/file.txt"), 2, ("is a file, not a folder",)),
    BatchRun("batch-output-under-file", ("{in}", "-o", "{ws}/file.txt/out"), 5, ("not a folder",)),
    BatchRun("batch-output-inside-input", ("{in}", "-o", "{in}/reports"), 0, rows=GOOD_ROWS),
    BatchRun("batch-bad-config", ("{in}", "-o", "{out}", "--config", "{ws}/file.txt"), 2, ("file.txt",)),
    BatchRun("batch-jobs-zero", ("{in}", "-o", "{out}", "--jobs", "0"), 2, ("--jobs",), usage=True),
    BatchRun("batch-engine", ("{in}", "-o", "{out}", "--engine", "spark"), 2, ("spark",), usage=True),
    BatchRun("batch-disk-full", ("{in}", "-o", "{out}"), 5, ("the disk is full",), inject="ENOSPC:{out}"),
    BatchRun("batch-read-only", ("{in}", "-o", "{out}"), 5, ("read-only",), inject="EROFS:{out}"),
    BatchRun("batch-forbidden", ("{in}", "-o", "{out}"), 5, ("permission denied",), inject="EACCES:{out}"),
    BatchRun(
        "batch-existing-read-only",
        ("{in}", "-o", "{ws}/ro"),
        5,
        ("cannot write in the output folder",),
        inject="EROFS:{ws}/ro",
    ),
    BatchRun(
        "batch-subfolder-full",
        ("{in}", "-o", "{out}"),
        1,
        rows={"a.mp4": "ok", "sub/b.mp4": "failed", "notes.txt": "skipped"},
        inject="ENOSPC:{out}/sub",
    ),
    BatchRun(
        "batch-subfolder-read-only",
        ("{in}", "-o", "{out}", "--html"),
        1,
        rows={"a.mp4": "ok", "sub/b.mp4": "failed", "notes.txt": "skipped"},
        inject="EROFS:{out}/sub",
    ),
]
