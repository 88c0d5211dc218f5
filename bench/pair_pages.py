"""One page of two checkouts timed in turn: which code is faster, on a machine whose speed drifts.

On this machine the same code's median varies by up to half from one run to the next, so two benchmark
runs made minutes apart compare the minutes as much as the code. Here each checkout serves the page in
its own process (its own code, its own copy of its cached 10,000-case database), and the two take turns
in small batches, so a slow minute falls on both. Example (the old code in a worktree at /tmp/old):

    .venv/bin/python -m bench.pair_pages --rounds 40 --batch 10 \\
        /tmp/old staff_xingfu /cases/8546  .  staff_yangguang /cases/8321

Each side is CHECKOUT USER PATH; the user logs in with the bench password. A checkout's database is the
newest bench/cache/sqlite-10000-*.sqlite in it (``python -m bench.run --sizes 10000`` builds it).
"""

from __future__ import annotations

import argparse
import glob
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def worker(user: str, path: str) -> None:
    """Log in, warm up, then answer each line "N" on stdin with the N requests' milliseconds.
    Runs in the checkout's own directory with its own code (this file need not be in it)."""
    sys.path.insert(0, os.getcwd())
    from bench.app_timings import login, make_app

    source = sorted(glob.glob("bench/cache/sqlite-10000-s1-*.sqlite"))[-1]
    copy = os.path.join(tempfile.gettempdir(), f"pair-pages-{os.getpid()}.sqlite")
    shutil.copyfile(source, copy)
    try:
        app, _recorder = make_app(f"sqlite:///{copy}")
        client = login(app, user, "10.0.0.9")
        for _ in range(20):
            response = client.get(path)
            response.get_data()
            if response.status_code != 200:
                raise RuntimeError(f"{path} answered {response.status_code}")
        print("ready", flush=True)
        for line in sys.stdin:
            took = []
            for _ in range(int(line)):
                started = time.perf_counter()
                client.get(path).get_data()
                took.append((time.perf_counter() - started) * 1000)
            print(" ".join(f"{t:.3f}" for t in took), flush=True)
    finally:
        for f in glob.glob(f"{copy}*"):
            os.remove(f)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=40)
    parser.add_argument("--batch", type=int, default=10)
    parser.add_argument("--worker", nargs=2, metavar=("USER", "PATH"), help=argparse.SUPPRESS)
    parser.add_argument("sides", nargs="*", help="CHECKOUT USER PATH, twice")
    args = parser.parse_args(argv)
    if args.worker:
        worker(*args.worker)
        return 0
    if len(args.sides) != 6:
        parser.error("give two sides, each CHECKOUT USER PATH")
    sides = [args.sides[:3], args.sides[3:]]
    procs = []
    for checkout, user, path in sides:
        python = Path(checkout) / ".venv" / "bin" / "python"
        command = [str(python), str(Path(__file__).resolve()), "--worker", user, path]
        pipe = subprocess.PIPE
        proc = subprocess.Popen(command, cwd=checkout, stdin=pipe, stdout=pipe, text=True)
        assert proc.stdin is not None and proc.stdout is not None
        if proc.stdout.readline().strip() != "ready":
            raise RuntimeError(f"{checkout}: the worker did not start")
        procs.append(proc)
    samples: list[list[float]] = [[], []]
    for n in range(args.rounds):
        for i in (0, 1) if n % 2 == 0 else (1, 0):  # who goes first alternates too
            stdin, stdout = procs[i].stdin, procs[i].stdout
            assert stdin is not None and stdout is not None
            stdin.write(f"{args.batch}\n")
            stdin.flush()
            samples[i] += [float(x) for x in stdout.readline().split()]
    for proc in procs:
        assert proc.stdin is not None
        proc.stdin.close()
        proc.wait()
    for (checkout, _user, path), taken in zip(sides, samples, strict=True):
        taken.sort()
        print(
            f"{checkout:<14} {path:<30} median {statistics.median(taken):6.2f} ms"
            f"  p25 {taken[len(taken) // 4]:6.2f}  min {taken[0]:6.2f}  ({len(taken)} requests)"
        )
    print(f"second / first, medians: {statistics.median(samples[1]) / statistics.median(samples[0]):.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
