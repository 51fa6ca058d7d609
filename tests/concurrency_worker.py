"""The processes of the concurrency test (tests/unit/test_server_concurrency.py), each a separate
program on the same server database, as on separate officers' computers:

    python -m tests.concurrency_worker merge URL PACKAGE OUT.json [START]
    python -m tests.concurrency_worker edit URL PLAN.json OUT.json

`merge` merges one package and writes its result (with START: once the database is open it
touches OUT.json.ready and waits for the file START, so that several merges begin together). `edit` follows a plan of county edits
(`notes` of enterprises): it loads the records of the steps marked `preload` (as an officer
opens an editor and leaves it open), touches the plan's `loaded` file, waits for its `go` file,
then saves step by step — a preloaded record with the revision it loaded then, another one
loaded just before — and records each save as saved (with the time it finished) or refused
(with the sentence the officer would read)."""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path


def _merge(url: str, package: str, out: str, start: str | None = None) -> None:
    from hengdong_desktop.services import setup
    from hengdong_desktop.services.packages import merge

    db, _info = setup.open_initialized(url)
    try:
        if start:
            Path(out + ".ready").touch()
            while not Path(start).exists():
                time.sleep(0.002)
        started = time.time()
        (result,) = merge.merge_files(db, [Path(package)])
        Path(out).write_text(
            json.dumps(
                {
                    "status": result.status,
                    "reason": result.reason,
                    "counts": {e: vars(c) for e, c in result.counts.items()},
                    "started": started,
                    "ended": time.time(),
                }
            ),
            encoding="utf-8",
        )
    finally:
        db.close()


def _edit(url: str, plan_file: str, out: str) -> None:
    from hengdong_desktop.errors import UserError
    from hengdong_desktop.services import entry, setup

    plan = json.loads(Path(plan_file).read_text(encoding="utf-8"))
    db, info = setup.open_initialized(url)
    results = []
    try:
        steps = plan["steps"]
        opened = {n: entry.load(db, "enterprise", step["id"]) for n, step in enumerate(steps) if step.get("preload")}
        Path(plan["loaded"]).touch()
        while not Path(plan["go"]).exists():
            time.sleep(0.002)
        for n, step in enumerate(steps):
            record = opened.get(n) or entry.load(db, "enterprise", step["id"])
            try:
                entry.save(
                    db,
                    info,
                    "enterprise",
                    {**record.values, "notes": step["notes"]},
                    record_id=step["id"],
                    revision=record.revision,
                    memberships=[],
                )
                results.append({"id": step["id"], "notes": step["notes"], "saved": True, "at": time.time()})
            except UserError as err:
                results.append(
                    {"id": step["id"], "notes": step["notes"], "saved": False, "message": str(err), "at": time.time()}
                )
    finally:
        db.close()
    Path(out).write_text(json.dumps(results, ensure_ascii=False), encoding="utf-8")


if __name__ == "__main__":
    command, *args = sys.argv[1:]
    {"merge": _merge, "edit": _edit}[command](*args)
