"""The ledger import at 100,000 rows: the dry run and the import, each ≤ 60 s and ≤ 500 MB.

``.venv/bin/python -m bench.ledger [--rows 100000]`` builds (once, cached in bench/cache/) a realistic
ledger XLSX — a merged title row, the header, a 合计 row; six years of cases; mediators who are users
and some who are not; spellings of categories, outcomes and follow-ups as ledgers write them; 1 % of rows
with a fault (a date that does not exist, an amount in words) — and a fresh migrated database with
one community, its staff and its mediators. The dry run (``services.ledger.check``) and the import
(``services.ledger.import_upload``) each run in a child process of their own, which reports its wall
time and its peak resident memory (``ru_maxrss``: everything the process held, the Python interpreter,
the workbook and the rows included). With DATABASE_URL=postgresql://… the same runs on a throw-away
PostgreSQL database beside it. Results go to bench/results.json (``ledger``) and bench/README.md.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import xlsxwriter
from sqlmodel import select

from bench import report
from bench.build import BENCH_HASH_METHOD, CACHE
from services.communities import create_community
from services.db import make_engine, session_factory
from services.schema import upgrade
from services.users import create_user

RESULTS = Path(__file__).resolve().parent / "results.json"
# Other spellings than the tests' ledgers (收案日期, 调解案号, 申请方 …): the mapping knows them all.
HEADERS = tuple(
    [
        "序号",
        "收案日期",
        "调解案号",
        "申请方",
        "被申请方",
        "联系方式",
        "证件号码",
        "案件类型",
        "纠纷事实",
        "调解人员",
        "处理结果",
        "协议方式",
        "争议金额",
        "结案时间",
        "回访结果",
        "说明",
    ]
)
MEDIATORS = ("王建国", "李秀英", "张志强", "刘海燕", "陈德福", "杨淑珍")  # users of the community
OTHERS = ("老赵", "社区民警")  # named in the ledger, not users
CATEGORIES = (
    "邻里纠纷",
    "邻里",
    "物业纠纷",
    "家庭纠纷",
    "婚姻家庭",
    "合同纠纷",
    "交通事故",
    "劳资纠纷",
    "损害赔偿",
    "其他",
)
RESULTS_TEXT = ("调解成功",) * 14 + ("成功", "已调解", "达成协议", "调解不成", "终止调解", "撤回", "调解中")
FOLLOW = ("已回访，满意", "电话回访 已履行", "已回访，基本满意", "", "未回访", "上门回访，未履行")
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚桂华玉萍红"


def _name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))


def _id(rng: random.Random) -> str:
    from services.validation import id_check_digit

    birth = date(1950, 1, 1) + timedelta(days=rng.randrange(365 * 50))
    first = f"330102{birth:%Y%m%d}{rng.randrange(1000):03d}"
    return first + id_check_digit(first)


def build_ledger(rows: int, seed: int = 16) -> Path:
    """The cached ledger of ``rows`` rows (built once: XlsxWriter takes about a minute for 100,000)."""
    CACHE.mkdir(exist_ok=True)
    path = CACHE / f"ledger-{rows}-s{seed}.xlsx"
    if path.exists():
        return path
    rng = random.Random(seed)
    people = [
        (_name(rng), f"1{rng.choice('3589')}{rng.randrange(10**9):09d}", _id(rng)) for _ in range(30000)
    ]
    start, days = date(2020, 1, 1), (date(2025, 12, 31) - date(2020, 1, 1)).days
    accepted = sorted(start + timedelta(days=rng.randrange(days)) for _ in range(rows))
    tmp = path.with_suffix(".tmp")
    book = xlsxwriter.Workbook(str(tmp), {"constant_memory": True})
    sheet = book.add_worksheet("台账")
    day = book.add_format({"num_format": "yyyy-mm-dd"})
    sheet.merge_range(0, 0, 0, len(HEADERS) - 1, "幸福社区人民调解委员会矛盾纠纷排查化解台账（2020—2025）")
    for c, title in enumerate(HEADERS):
        sheet.write_string(1, c, title)
    for i, when in enumerate(accepted, start=1):
        r = i + 1
        applicant, respondent = rng.choice(people), rng.choice(people)
        result = rng.choice(RESULTS_TEXT)
        closed = when + timedelta(days=rng.randrange(0, 25))
        sheet.write_number(r, 0, i)
        if rng.random() < 0.005:
            sheet.write_string(r, 1, f"{when.year}.2.30")  # a date that does not exist
        else:
            sheet.write_datetime(r, 1, datetime(when.year, when.month, when.day), day)
        if rng.random() < 0.6:
            sheet.write_string(r, 2, f"（{when.year}）幸福人调字第{i:05d}号")
        sheet.write_string(r, 3, applicant[0])
        sheet.write_string(r, 4, respondent[0])
        sheet.write_string(r, 5, applicant[1])
        if rng.random() < 0.3:
            sheet.write_string(r, 6, applicant[2])
        sheet.write_string(r, 7, rng.choice(CATEGORIES))
        sheet.write_string(r, 8, "双方因琐事发生争执，请求社区调解")
        sheet.write_string(r, 9, rng.choice(MEDIATORS) if rng.random() < 0.9 else rng.choice(OTHERS))
        sheet.write_string(r, 10, result)
        sheet.write_string(r, 11, "口头" if rng.random() < 0.25 else "书面")
        if rng.random() < 0.005:
            sheet.write_string(r, 12, "若干")
        else:
            sheet.write_number(r, 12, rng.choice((0, 200, 500, 800, 1500, 3000, 12000, 50000)))
        if result not in ("调解中",):
            sheet.write_datetime(r, 13, datetime(closed.year, closed.month, closed.day), day)
        sheet.write_string(r, 14, rng.choice(FOLLOW))
    sheet.write_string(rows + 2, 0, "合计")
    sheet.write_string(rows + 2, 2, f"共 {rows} 件")
    book.close()
    tmp.rename(path)
    return path


def _database(url: str) -> None:
    """A migrated database with the community 幸福, its staff and mediators."""
    upgrade(url)
    engine = make_engine(url)
    with session_factory(engine)() as session:
        community = create_community(session=session, name="幸福社区", short_name="幸福", street="幸福街道")
        create_user(
            session=session,
            username="staff_xingfu",
            display_name="王芳",
            password="bench-pass-1",
            roles=["staff"],
            community_ids=[community.id or 0],
            hash_method=BENCH_HASH_METHOD,
        )
        for i, name in enumerate(MEDIATORS):
            create_user(
                session=session,
                username=f"mediator_{i}",
                display_name=name,
                password="bench-pass-1",
                roles=["mediator" if i < 2 else "volunteer"],
                community_ids=[community.id or 0],
                hash_method=BENCH_HASH_METHOD,
            )
    engine.dispose()


def reference(url: str, cases: int = 20_000) -> dict[str, Any]:
    """The demo generator writing ``cases`` cases (same walk, same writer; ~1.4 s per 10,000 on an idle
    machine): on a busy machine, how much slower than idle everything runs."""
    from services.demo import generate

    upgrade(url)
    engine = make_engine(url)
    before = resource.getrusage(resource.RUSAGE_SELF)
    started = time.perf_counter()
    generate(engine, cases=cases, seed=1, password_hash="x")
    usage = resource.getrusage(resource.RUSAGE_SELF)
    cpu = usage.ru_utime + usage.ru_stime - before.ru_utime - before.ru_stime
    return {"seconds": round(time.perf_counter() - started, 1), "cpu_seconds": round(cpu, 1), "cases": cases}


def phase(kind: str, url: str, path: str) -> dict[str, Any]:
    """One measured run (in its own process): the dry run or the import."""
    from models import User
    from services.ledger import check, import_upload, store_upload
    from services.permissions import actor_for

    engine = make_engine(url)
    with session_factory(engine)() as session:
        staff = session.exec(select(User).where(User.username == "staff_xingfu")).one()
        who = actor_for(session, staff)
        started = time.perf_counter()
        before = resource.getrusage(resource.RUSAGE_SELF)
        cpu_before = before.ru_utime + before.ru_stime
        content = Path(path).read_bytes()
        upload = store_upload(
            session, who=who, community_id=1, filename=Path(path).name, content=content, user_id=staff.id
        )
        if kind == "dry-run":
            counts = check(session, upload=upload).counts
        else:
            result = import_upload(session, upload_id=upload.id or 0, actor=staff, who=who)
            counts = {"created": result.created, "skipped": result.skipped, "refused": result.refused}
        seconds = time.perf_counter() - started
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return {
        "seconds": round(seconds, 1),
        "cpu_seconds": round(usage.ru_utime + usage.ru_stime - cpu_before, 1),
        "peak_mb": round(usage.ru_maxrss / 1024),
        "counts": counts,
    }


def _child(kind: str, url: str, path: Path) -> dict[str, Any]:
    out = subprocess.run(
        [sys.executable, "-m", "bench.ledger", "--phase", kind, "--url", url, "--file", str(path)],
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def _postgres(base: str, rows: int) -> tuple[str, Any]:
    parts = urlsplit(base)
    name = f"{parts.path.lstrip('/')}_ledger_bench_{rows}"
    admin = make_engine(urlunsplit(parts._replace(path="/postgres")), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.exec_driver_sql(f'CREATE DATABASE "{name}"')

    def drop() -> None:
        with admin.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()

    return urlunsplit(parts._replace(path=f"/{name}")), drop


def measure(rows: int) -> dict[str, Any]:
    path = build_ledger(rows)
    runs: dict[str, Any] = {}
    with tempfile.TemporaryDirectory(dir=CACHE) as tmp:
        url = f"sqlite:///{Path(tmp) / 'ledger.sqlite'}"
        _database(url)
        runs["sqlite"] = {"dry_run": _child("dry-run", url, path), "import": _child("import", url, path)}
        runs["sqlite"]["again"] = _child("import", url, path)
        reference_url = f"sqlite:///{Path(tmp) / 'demo.sqlite'}"
        try:
            demo: dict[str, Any] | None = _child("reference", reference_url, path)
        except subprocess.CalledProcessError as failed:  # a shared machine: say so, keep the figures
            print(f"reference not taken: {failed}", file=sys.stderr)
            demo = None
    base = os.environ.get("DATABASE_URL", "")
    if base.startswith("postgresql"):
        url, drop = _postgres(base, rows)
        try:
            _database(url)
            runs["postgresql"] = {
                "dry_run": _child("dry-run", url, path),
                "import": _child("import", url, path),
            }
        finally:
            drop()
    return {
        "rows": rows,
        "file_mb": round(path.stat().st_size / 1024 / 1024, 1),
        "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "load": list(os.getloadavg()),
        "runs": runs,
        "reference": demo,
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--phase", choices=("dry-run", "import", "reference"))
    parser.add_argument("--url")
    parser.add_argument("--file")
    args = parser.parse_args()
    if args.phase == "reference":
        print(json.dumps(reference(args.url)))
        return
    if args.phase:
        print(json.dumps(phase(args.phase, args.url, args.file)))
        return
    measured = measure(args.rows)
    print(json.dumps(measured, ensure_ascii=False, indent=1))
    results = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    results.setdefault("ledger", {})[str(args.rows)] = measured
    RESULTS.write_text(json.dumps(results, ensure_ascii=False, indent=1))
    report.write(results)


if __name__ == "__main__":
    main()
