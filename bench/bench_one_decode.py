"""The second pass reading the pose pass's grey pictures (formcheck/greystore.py) against decoding the video again.

Usage:
    python bench/bench_one_decode.py VIDEO [--rounds 3]

In one process: the pose pass once (with the store), then, alternately, ``analyze_landmarks`` with the video
decoding it again and reading the store (process CPU of all threads, the reports compared but for their
timings), and the pose pass's decode alone with and without filling the store (what the store adds there).
docs/PERFORMANCE.md "One decode". On a shared machine only the differences within one run mean something.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import time

from formcheck import greystore
from formcheck.config import load_config
from formcheck.pipeline import analyze_landmarks, estimate_pose
from formcheck.report.json_report import dumps
from formcheck.video import iter_frames


def _report(analysis) -> dict:
    data = json.loads(dumps(analysis.to_dict()))
    data.pop("timings_s", None)
    return data


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("video")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    config = load_config()
    print(f"load {os.getloadavg()[0]:.1f}")
    with greystore.for_second_pass(config.bar.max_side_px) as store:
        seq = estimate_pose(args.video, config, use_cache=False, grey_store=store)
        print(f"store: usable {store.usable}, {len(store)} frames, {store.nbytes / 1e6:.1f} MB")
        analyze_landmarks(seq, config, video=args.video, grey=store)  # warm-up
        second: dict[str, list[float]] = {"decode": [], "store": []}
        reports = {}
        for rnd in range(args.rounds):
            for name in ("decode", "store") if rnd % 2 == 0 else ("store", "decode"):
                started = time.process_time()
                analysis = analyze_landmarks(seq, config, video=args.video, grey=store if name == "store" else None)
                second[name].append(time.process_time() - started)
                reports[name] = _report(analysis)
                print(f"round {rnd} analysis {name:6s} {second[name][-1]:.3f} s CPU  load {os.getloadavg()[0]:.1f}")
    print("reports identical:", reports["decode"] == reports["store"])
    pose: dict[str, list[float]] = {"plain": [], "store": []}
    frames = 0
    for rnd in range(args.rounds):
        for name in ("plain", "store") if rnd % 2 == 0 else ("store", "plain"):
            with greystore.for_second_pass(config.bar.max_side_px) as filling:
                started, frames = time.process_time(), 0
                for frame in iter_frames(args.video, max_side=config.pose.max_side_px, lazy=True):
                    frames += 1
                    if name == "store":
                        filling.add(frame)
                filling.finish()
                pose[name].append(time.process_time() - started)
            print(f"round {rnd} pose-pass decode {name:5s} {pose[name][-1]:.3f} s CPU")
    med = {k: statistics.median(v) for k, v in {**second, **{f"pose_{k}": v for k, v in pose.items()}}.items()}
    saved, added = med["decode"] - med["store"], med["pose_store"] - med["pose_plain"]
    print(
        f"medians: second pass {med['decode']:.2f} -> {med['store']:.2f} s (-{saved:.2f} s); pose-pass decode "
        f"{med['pose_plain']:.2f} -> {med['pose_store']:.2f} s (+{added:.2f} s, {1000 * added / max(frames, 1):.2f} ms "
        f"a frame); net {added - saved:+.2f} s"
    )


if __name__ == "__main__":
    main()
