"""Attachments: upload of a 5 MB phone photo, the case page with 30 attachments, backup with files.

Usage: ``.venv/bin/python -m bench.bench_attachments [--cases 10000] [--files 10000] [--file-kb 50]``.
On a throw-away copy of the cached demo database (bench/cache/, built or migrated forward by
bench.build), through the real WSGI app (Flask test client, logged in as staff_xingfu):

- upload: POST /cases/<id>/attachments with one 12-megapixel JPEG of ~5 MB (a different photo each
  time, so no upload is saved by deduplication): parse, open and re-encode without EXIF, thumbnail, hash,
  write + fsync + rename, the row; target ≤ 300 ms median;
- the case page of a case with 30 attachments (downloads listed); target ≤ 20 ms median. The same page
  of a sibling case without attachments is timed in turn with it, so what the 30 attachments add can be
  told apart from the load of the (shared) machine;
- ``flask backup DIR`` of the whole database plus ``--files`` attachment files (``--file-kb`` each,
  random bytes stored as rows of real cases), the verify step of ``flask restore`` (every hash), and
  the whole restore into an empty file store;
- setting the 卷宗不全 mark of every ended case again, as a change of the policy's rule does (rolled back).

Each timing has its wall-clock median and this process's CPU time (``cpu_median_ms``), which waiting for
the other users of the machine does not inflate.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import random
import shutil
import statistics
import time
from pathlib import Path
from typing import Any

from sqlalchemy import text
from sqlmodel import Session, col, func, select

from bench import build
from bench.app_timings import login, make_app
from bench.run import working_copy
from bench.subjects import MEMBER
from models import Case
from services.attachments_files import FileStore
from services.backup import backup, restore, verify
from services.file_marks import mark_ended_cases
from services.policy import current_policy
from tests import samples

RESULTS = Path(__file__).with_name("attachments-results.json")


def _ms(samples_ms: list[float], cpu_ms: list[float] | None = None) -> dict[str, float]:
    ordered = sorted(samples_ms)
    out = {
        "median_ms": round(statistics.median(ordered), 1),
        "p95_ms": round(ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))], 1),
        "reps": len(ordered),
    }
    if cpu_ms:
        out["cpu_median_ms"] = round(statistics.median(cpu_ms), 1)
    return out


def _cases_of(url_engine: Any, username: str) -> tuple[int, int]:
    """Two mediating cases of the member's community (the upload form is offered to its staff)."""
    with url_engine.connect() as conn:
        rows = conn.execute(
            text(
                'SELECT c.id FROM "case" c JOIN user_community uc ON uc.community_id = c.community_id '
                "JOIN \"user\" u ON u.id = uc.user_id WHERE u.username = :u AND c.state = 'mediating' "
                "ORDER BY c.id LIMIT 2"
            ),
            {"u": username},
        ).all()
    if len(rows) < 2:
        raise RuntimeError("no two mediating cases to attach to")
    return int(rows[0][0]), int(rows[1][0])


def _post(
    client: Any, case_id: int, files: list[tuple[bytes, str]], kind: str = "evidence"
) -> tuple[float, float]:
    """The upload's wall-clock and CPU milliseconds."""
    data: dict[str, Any] = {"kind": kind, "files": [(io.BytesIO(b), n) for b, n in files]}
    started, cpu = time.perf_counter(), time.process_time()
    response = client.post(f"/cases/{case_id}/attachments", data=data, content_type="multipart/form-data")
    took = ((time.perf_counter() - started) * 1000, (time.process_time() - cpu) * 1000)
    if response.status_code != 303:
        raise RuntimeError(f"upload answered {response.status_code}: {response.get_data(as_text=True)[:300]}")
    client.get(response.headers["Location"])  # the flashed message is consumed, as a browser would
    return took


def _page(client: Any, case_id: int) -> tuple[float, float]:
    started, cpu = time.perf_counter(), time.process_time()
    response = client.get(f"/cases/{case_id}")
    response.get_data()
    if response.status_code != 200:
        raise RuntimeError(f"case page answered {response.status_code}")
    return (time.perf_counter() - started) * 1000, (time.process_time() - cpu) * 1000


def _bulk_files(url_engine: Any, store: FileStore, n: int, kb: int, uploader: int) -> int:
    """``n`` stored files of ``kb`` KB (random bytes) attached to real cases, as rows of the table."""
    rng = random.Random(5)
    with url_engine.begin() as conn:
        case_ids = [r[0] for r in conn.execute(text('SELECT id FROM "case" ORDER BY id LIMIT :n'), {"n": n})]
        rows = []
        for i in range(n):
            sha, _ = store.put(rng.randbytes(kb * 1024))
            rows.append(
                {
                    "case_id": case_ids[i % len(case_ids)],
                    "sha": sha,
                    "name": f"scan-{i}.pdf",
                    "size": kb * 1024,
                    "by": uploader,
                }
            )
        conn.execute(
            text(
                "INSERT INTO attachment (case_id, kind, original_name, content_type, size, sha256, "
                "id_numbers, note, uploaded_by_id, uploaded_at, withdrawn_reason) "
                "VALUES (:case_id, 'evidence', :name, "
                "'application/pdf', :size, :sha, false, '', :by, CURRENT_TIMESTAMP, '')"
            ),
            rows,
        )
    return n


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=10_000)
    parser.add_argument("--files", type=int, default=10_000)
    parser.add_argument("--file-kb", type=int, default=50)
    parser.add_argument("--uploads", type=int, default=12)
    args = parser.parse_args(argv)
    built = build.sqlite_database(args.cases)
    out: dict[str, Any] = {"cases": args.cases, "load_at_start": list(os.getloadavg())}
    work_files = build.CACHE / f"files-{os.getpid()}"
    backup_dir = build.CACHE / f"backup-{os.getpid()}"
    with working_copy(built) as url:
        app, _ = make_app(url)
        app.config["FILES_DIR"] = str(work_files)
        engine = app.extensions["db_engine"]
        client = login(app, MEMBER, "10.9.0.1")
        case_id, bare_id = _cases_of(engine, MEMBER)
        try:
            photos = [samples.big_photo(seed=s) for s in range(args.uploads + 2)]
            out["photo_mb"] = round(statistics.mean(len(p) for p in photos) / 1024 / 1024, 2)
            for p in photos[:2]:  # warm-up
                _post(client, case_id, [(p, "IMG_warm.jpg")])
            uploads = [_post(client, case_id, [(p, f"IMG_{i:04d}.JPG")]) for i, p in enumerate(photos[2:])]
            out["upload_5mb_photo"] = _ms([w for w, _ in uploads], [c for _, c in uploads])
            while _count(engine, case_id) < 30:
                _post(
                    client, case_id, [(samples.pdf(1 + _count(engine, case_id) % 5), "scan.pdf")], "agreement"
                )
            ids = [
                r[0]
                for r in engine.connect().execute(
                    text("SELECT id FROM attachment WHERE case_id = :c"), {"c": case_id}
                )
            ]
            for aid in ids[:10]:
                client.get(f"/cases/{case_id}/attachments/{aid}").close()
            for _ in range(5):  # warm-up
                _page(client, case_id)
                _page(client, bare_id)
            with_files, without = [], []
            for _ in range(40):  # in turn, so both see the same load
                with_files.append(_page(client, case_id))
                without.append(_page(client, bare_id))
            out["case_page_30_attachments"] = _ms([w for w, _ in with_files], [c for _, c in with_files])
            out["case_page_no_attachments"] = _ms([w for w, _ in without], [c for _, c in without])
            uploader = (
                engine.connect()
                .execute(text('SELECT id FROM "user" WHERE username = :u'), {"u": MEMBER})
                .scalar()
            )
            started = time.perf_counter()
            _bulk_files(engine, FileStore(work_files), args.files, args.file_kb, int(uploader))
            out["filling_files_s"] = round(time.perf_counter() - started, 1)
            with Session(engine) as session:  # a change of the rule, rolled back
                policy = current_policy(session).with_values({"file_close_oral": ["follow_up"]})
                started = time.perf_counter()
                mark_ended_cases(session, policy)
                out["marking_ended_cases_s"] = round(time.perf_counter() - started, 2)
                ended = (
                    select(func.count())
                    .select_from(Case)
                    .where(col(Case.state).in_(["closed", "terminated"]))
                )
                out["ended_cases"] = session.exec(ended).one()
                session.rollback()
            engine.dispose()
            out["load_before_backup"] = list(os.getloadavg())
            report = backup(engine=engine, files_root=work_files, target=backup_dir)
            out["backup"] = {
                "seconds": round(report.seconds, 1),
                "database_mb": round(report.database_bytes / 1024 / 1024, 1),
                "files": report.files,
                "files_mb": round(report.files_bytes / 1024 / 1024, 1),
            }
            started = time.perf_counter()
            verify(backup_dir)
            out["restore_verify_s"] = round(time.perf_counter() - started, 1)
            shutil.rmtree(work_files)  # the files lost: the restore writes every one back
            done = restore(engine=engine, files_root=work_files, source=backup_dir)
            out["restore_s"] = round(done.seconds, 1)
        finally:
            shutil.rmtree(work_files, ignore_errors=True)
            shutil.rmtree(backup_dir, ignore_errors=True)
            app.extensions["db_engine"].dispose()
    print(json.dumps(out, ensure_ascii=False, indent=1))
    RESULTS.write_text(json.dumps(out, ensure_ascii=False, indent=1) + "\n")
    return 0


def _count(engine: Any, case_id: int) -> int:
    with engine.connect() as conn:
        return int(
            conn.execute(text("SELECT count(*) FROM attachment WHERE case_id = :c"), {"c": case_id}).scalar()
        )


if __name__ == "__main__":
    raise SystemExit(main())
