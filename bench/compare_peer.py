"""formcheck against the plain MediaPipe loop (bench/peer_loop.py), alternately, on the same clips.

Usage:
    python bench/compare_peer.py [--rounds 3] [--cases short,long,portrait,fps60] [--model-share] [--accuracy]
                                 [--out bench/peer_results.json]

Timing: for each round and each clip, the peer loop (OpenCV decode + PoseLandmarker VIDEO mode on every
frame + a hip-angle state machine) and ``formcheck analyze --no-cache`` each run in a fresh process, in
alternating order (the first of the pair swaps every round), so both see the same load. Per run: CPU time
(user + system of the child and all its threads, from ``wait4``), wall time and peak resident memory; per pair
the ratios formcheck / peer. On a machine shared with other jobs, the CPU-time ratio is the figure to trust:
wall time depends on what else runs, CPU time much less.

Clips: ``short`` is ../shared/videos/clip_006.mp4 (1920x1080, 30 fps, 4.9 s); ``long`` the same frames 4x
(written with PyAV into .cache/bench/, never committed; H.264 with a key frame every second, as phones write); ``portrait`` clip_086 (540x960 phone clip);
``fps60`` clip_069 (1920x1080, 59.94 fps).

``--model-share``: each pair is followed by the peer without the model's calls (``peer_loop.py
--no-inference``: imports, landmarker creation, decoding, RGB conversion); the peer's CPU time less that one's
is what the model costs the peer, the floor any loop running the same model on every frame pays.

``--accuracy``: both counters once on every usable labelled hinge and bridge/thrust clip of
../shared/videos/labels.json (the clips ``formcheck eval`` scores the rep count on), rep count exact and
within one against the label; ``--dense`` adds formcheck with the model on every frame (``pose.sparse =
false``), to compare sparse and dense pose on real footage with the real model.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VIDEOS = ROOT.parent / "shared" / "videos"
CACHE = ROOT / ".cache" / "bench"
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_pose import repeat_clip  # noqa: E402

CASES = {
    "short": ("clip_006.mp4", 1),
    "long": ("clip_006.mp4", 4),
    "portrait": ("clip_086.mp4", 1),
    "fps60": ("clip_069.mp4", 1),
}


def clip_for(case: str) -> Path:
    name, times = CASES[case]
    src = VIDEOS / name
    if not src.exists():
        raise SystemExit(f"{src} not found: the bench needs ../shared/videos")
    if times == 1:
        return src
    CACHE.mkdir(parents=True, exist_ok=True)
    dst = CACHE / f"{src.stem}_x{times}_key1s.mp4"
    if not dst.exists():
        repeat_clip(src, dst, times)
    return dst


def measure(cmd: list[str], env: dict[str, str]) -> dict:
    """Run ``cmd`` in a fresh process; its CPU time (user+sys incl. threads), wall time, peak RSS, stdout."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=out, stderr=err, cwd=ROOT, env=env)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read().decode(), err.read().decode()
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed ({proc.returncode}): {stderr.strip()[-600:]}")
    return {
        "cpu_s": round(usage.ru_utime + usage.ru_stime, 3),
        "user_s": round(usage.ru_utime, 3),
        "sys_s": round(usage.ru_stime, 3),
        "wall_s": round(wall, 3),
        "peak_rss_mb": round(usage.ru_maxrss / 1024, 1),
        "stdout": stdout,
    }


def run_peer(clip: Path, env: dict[str, str], extra: list[str] | None = None) -> dict:
    r = measure([sys.executable, str(ROOT / "bench" / "peer_loop.py"), str(clip), *(extra or [])], env)
    r["reps"] = json.loads(r.pop("stdout").strip().splitlines()[-1])["reps"]
    return r


def run_formcheck(clip: Path, env: dict[str, str], extra: list[str] | None = None) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        report = Path(tmp) / "report.json"
        cmd = [sys.executable, "-m", "formcheck", "analyze", "--no-cache", "-q", "--json", str(report), str(clip)]
        r = measure(cmd + list(extra or []), env)
        r.pop("stdout")
        data = json.loads(report.read_text())
    r["reps"] = len(data["reps"])
    r["video_s"] = data["video"]["duration_s"]
    timings = data.get("timings_s", {})
    r["model_frames"] = timings.get("pose_model_frames")
    r["frames"] = (timings.get("pose_model_frames") or 0) + (timings.get("pose_interpolated_frames") or 0)
    return r


def timing(
    cases: list[str], rounds: int, env: dict[str, str], model_share: bool = False, extra: list[str] | None = None
) -> list[dict]:
    rows = []
    clips = {case: clip_for(case) for case in cases}
    for rnd in range(rounds):
        for case in cases:
            order = ("peer", "formcheck") if (rnd % 2 == 0) else ("formcheck", "peer")
            pair: dict[str, dict] = {}
            for who in order:
                pair[who] = run_peer(clips[case], env) if who == "peer" else run_formcheck(clips[case], env, extra)
            f, p = pair["formcheck"], pair["peer"]
            row = {
                "round": rnd,
                "case": case,
                "clip": clips[case].name,
                "first": order[0],
                "formcheck": f,
                "peer": p,
                "cpu_ratio": round(f["cpu_s"] / p["cpu_s"], 3),
                "wall_ratio": round(f["wall_s"] / p["wall_s"], 3),
                "rss_ratio": round(f["peak_rss_mb"] / p["peak_rss_mb"], 3),
                "realtime_factor": round(f["video_s"] / f["wall_s"], 3),
                "realtime_factor_cpu": round(f["video_s"] / (f["cpu_s"] / 2), 3),
            }
            if model_share:
                bare = run_peer(clips[case], env, ["--no-inference"])
                row["peer_no_inference"] = bare
                row["peer_model_share"] = round((p["cpu_s"] - bare["cpu_s"]) / p["cpu_s"], 3)
            rows.append(row)
            print(
                f"round {rnd} {case:8s} formcheck {f['cpu_s']:6.2f} s CPU {f['wall_s']:6.2f} s wall "
                f"{f['peak_rss_mb']:5.0f} MB {f['reps']} reps | peer {p['cpu_s']:6.2f} s CPU {p['wall_s']:6.2f} s "
                f"wall {p['peak_rss_mb']:5.0f} MB {p['reps']} reps | CPU {row['cpu_ratio']:.2f}x wall "
                f"{row['wall_ratio']:.2f}x RSS {row['rss_ratio']:.2f}x | model frames {f['model_frames']}/{f['frames']}"
                + (
                    f" | peer without the model {row['peer_no_inference']['cpu_s']:.2f} s CPU: model share "
                    f"{row['peer_model_share']:.2f}"
                    if model_share
                    else ""
                )
                + f" | load {os.getloadavg()[0]:.1f}",
                flush=True,
            )
            row["load_avg_1min"] = round(os.getloadavg()[0], 2)
    return rows


def summary(rows: list[dict]) -> dict:
    out = {}
    for case in dict.fromkeys(r["case"] for r in rows):
        mine = [r for r in rows if r["case"] == case]
        out[case] = {
            key: round(statistics.median(r[key] for r in mine), 3)
            for key in ("cpu_ratio", "wall_ratio", "rss_ratio", "realtime_factor", "realtime_factor_cpu")
        }
        if all("peer_model_share" in r for r in mine):
            out[case]["peer_model_share"] = round(statistics.median(r["peer_model_share"] for r in mine), 3)
        out[case]["formcheck_cpu_s"] = round(statistics.median(r["formcheck"]["cpu_s"] for r in mine), 3)
        out[case]["peer_cpu_s"] = round(statistics.median(r["peer"]["cpu_s"] for r in mine), 3)
        out[case]["formcheck_peak_rss_mb"] = max(r["formcheck"]["peak_rss_mb"] for r in mine)
        out[case]["peer_peak_rss_mb"] = max(r["peer"]["peak_rss_mb"] for r in mine)
    return out


def accuracy(env: dict[str, str], dense: bool, every: int = 1, start: int = 0, peer: bool = True) -> dict:
    """Rep counts of the peer and formcheck (and, with ``dense``, formcheck with the model on every frame,
    ``pose.sparse = false``) on every usable labelled hinge and bridge clip, with each run's CPU time."""
    from formcheck.exercises import FAMILY

    labels = json.loads((VIDEOS / "labels.json").read_text())["clips"]
    clips = [c for c in labels if c.get("usable", True) and FAMILY.get(c["exercise"], "other") in ("hinge", "bridge")]
    clips = clips[start::every]
    who = ["formcheck"] + (["peer"] if peer else []) + (["formcheck_dense"] if dense else [])
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        dense_toml = Path(tmp) / "dense.toml"
        dense_toml.write_text("[pose]\nsparse = false\n")
        for c in clips:
            clip = VIDEOS / c["file"]
            runs = {"formcheck": run_formcheck(clip, env)}
            if peer:
                runs["peer"] = run_peer(clip, env)
            if dense:
                runs["formcheck_dense"] = run_formcheck(clip, env, ["--config", str(dense_toml)])
            row = {"clip": c["file"], "label": c["n_reps"]}
            row.update({k: r["reps"] for k, r in runs.items()})
            row.update({f"{k}_cpu_s": r["cpu_s"] for k, r in runs.items()})
            rows.append(row)
            print(" ".join(f"{k} {v}" for k, v in row.items()), flush=True)
    n = len(rows)
    totals = {
        w: {
            "exact": round(sum(r[w] == r["label"] for r in rows) / n, 3),
            "within_one": round(sum(abs(r[w] - r["label"]) <= 1 for r in rows) / n, 3),
            "cpu_s": round(sum(r[f"{w}_cpu_s"] for r in rows), 2),
        }
        for w in who
    }
    return {"clips": n, "totals": totals, "rows": rows}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--cases", default=",".join(CASES))
    parser.add_argument("--model-share", action="store_true", help="also the peer without the model's calls")
    parser.add_argument("--accuracy", action="store_true", help="also count reps on the labelled real clips")
    parser.add_argument("--no-timing", action="store_true", help="only the accuracy part")
    parser.add_argument("--dense", action="store_true", help="accuracy: also formcheck with pose.sparse = false")
    parser.add_argument("--every", type=int, default=1, help="accuracy: every N-th labelled clip only (time)")
    parser.add_argument("--start", type=int, default=0, help="accuracy: ...starting with this one (0-based)")
    parser.add_argument("--no-peer", action="store_true", help="accuracy: formcheck only")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "peer_results.json")
    parser.add_argument(
        "--formcheck-config", type=Path, help="timing: run formcheck with this TOML (e.g. [pose] mirror = true)"
    )
    args = parser.parse_args()
    cases = [c for c in args.cases.split(",") if c]
    unknown = set(cases) - set(CASES)
    if unknown:
        raise SystemExit(f"unknown case(s) {', '.join(sorted(unknown))}: use {', '.join(CASES)}")
    # both run as a user's install runs them: bytecode written and read (this environment may set
    # PYTHONDONTWRITEBYTECODE, which makes formcheck's own modules compile on every run; bench_startup.py does the same)
    base_env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env = {**base_env, "FORMCHECK_CACHE": tempfile.mkdtemp(prefix="formcheck-bench-")}
    result: dict = {
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, {platform.system()} {platform.release()}",
        "python": platform.python_version(),
        "load_avg_at_start": os.getloadavg(),
        "peer": "bench/peer_loop.py: OpenCV decode, PoseLandmarker VIDEO mode every frame, pose_landmarker_full",
        "bytecode": "written and read (PYTHONDONTWRITEBYTECODE dropped for both)",
    }
    if not args.no_timing:
        extra = ["--config", str(args.formcheck_config)] if args.formcheck_config else None
        result["formcheck_config"] = args.formcheck_config.read_text() if args.formcheck_config else ""
        rows = timing(cases, args.rounds, env, args.model_share, extra)
        result["rows"] = rows
        result["summary"] = summary(rows)
        for case, s in result["summary"].items():
            print(
                f"{case:8s} median CPU {s['cpu_ratio']:.2f}x wall {s['wall_ratio']:.2f}x RSS {s['rss_ratio']:.2f}x "
                f"real time {s['realtime_factor']:.2f}x peak {s['formcheck_peak_rss_mb']:.0f} MB"
            )
    if args.accuracy:
        result["accuracy"] = accuracy(env, args.dense, args.every, args.start, not args.no_peer)
        print(json.dumps(result["accuracy"]["totals"]))
    result["load_avg_at_end"] = os.getloadavg()
    args.out.write_text(json.dumps(result, indent=2) + "\n")
    print(f"written to {args.out}")


if __name__ == "__main__":
    main()
