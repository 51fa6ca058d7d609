"""Runs every benchmark module (`bench_*.py`), or those named: python -m benchmarks [name ...]."""

from __future__ import annotations

import importlib
import json
import pkgutil
import sys
from pathlib import Path

import benchmarks
from benchmarks.common import RESULTS_DIR, Result


def main(argv: list[str]) -> int:
    names = sorted(m.name for m in pkgutil.iter_modules(benchmarks.__path__) if m.name.startswith("bench_"))
    wanted = [n if n.startswith("bench_") else f"bench_{n}" for n in argv] or names
    results: list[Result] = []
    for name in wanted:
        print(f"== {name}", flush=True)
        module = importlib.import_module(f"benchmarks.{name}")
        for result in module.run():
            print(result.line(), flush=True)
            results.append(result)
    RESULTS_DIR.mkdir(exist_ok=True)
    out = Path(RESULTS_DIR) / "latest.json"
    out.write_text(json.dumps([r.as_dict() for r in results], ensure_ascii=False, indent=2), encoding="utf-8")
    failed = [r for r in results if r.goal is not None and r.value > r.goal]
    print(f"\n{len(results)} measurements, {len(failed)} over goal; written to {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
