"""``flask remind`` on a copy of the demo database: wall time and peak memory of the real command.

Runs ``flask --app app remind`` in a child process under ``/usr/bin/time -v`` (GNU time: elapsed time and
maximum resident set size), twice: the first run writes every user's digest for the day, the second
finds them written and sends nothing (the idempotent daily re-run). The demo users chose no channel,
so the digests go to the inbox only: what is measured is computing every desk and storing the digests.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
TARGET_SECONDS, TARGET_MB = 10.0, 300.0


def _measured(url: str) -> dict[str, Any]:
    env = {**os.environ, "DATABASE_URL": url}
    for name in ("MAIL_SERVER", "REMINDER_WEBHOOK_URL"):
        env.pop(name, None)
    flask = str(Path(sys.executable).with_name("flask"))
    done = subprocess.run(
        ["/usr/bin/time", "-v", flask, "--app", "app", "remind"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    if done.returncode != 0:
        raise RuntimeError(f"flask remind failed ({done.returncode}): {done.stderr[-800:]}")
    wall = re.search(r"Elapsed \(wall clock\) time.*: (?:(\d+):)?(\d+):([\d.]+)", done.stderr)
    rss = re.search(r"Maximum resident set size \(kbytes\): (\d+)", done.stderr)
    cpu = [float(x) for x in re.findall(r"(?:User|System) time \(seconds\): ([\d.]+)", done.stderr)]
    assert wall and rss and len(cpu) == 2, done.stderr[-800:]
    hours, minutes, seconds = int(wall.group(1) or 0), int(wall.group(2)), float(wall.group(3))
    return {
        "seconds": round(hours * 3600 + minutes * 60 + seconds, 2),
        "cpu_seconds": round(
            sum(cpu), 2
        ),  # user + system: what the run costs, whatever else the machine does
        "max_rss_mb": round(int(rss.group(1)) / 1024, 1),
        "output": done.stdout.strip(),
    }


def run(url: str) -> dict[str, Any]:
    """The first run of the day and the re-run; each with seconds, peak MB and what the command said."""
    first = _measured(url)
    again = _measured(url)
    for label, r in (("first", first), ("again", again)):
        print(
            f"  flask remind ({label}): {r['seconds']:.2f} s, {r['max_rss_mb']:.0f} MB — {r['output']}",
            flush=True,
        )
    return {"first": first, "again": again}
