"""Benchmark harness: `make bench` runs every bench/bench_*.py, `make bench ONLY=name` one of them.

Each benchmark module defines `NAME`, `PARAMS` and `run(params) -> {figure: (value, unit, goal)}`; the
harness sets Django up on a fresh SQLite database (or DATABASE_URL), prints the figures and writes
bench/results/<name>.json as {"name", "figures": {"<figure>": {"value", "unit", "goal"}}, "params",
"machine", "date"}.
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib.util
import json
import os
import platform
import sys
import tempfile
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "src"))
sys.path.insert(0, str(HERE.parent))


def _machine() -> dict[str, Any]:
    return {
        "python": platform.python_version(),
        "platform": platform.platform(),
        "cpus": os.cpu_count(),
        "database": os.environ.get("DATABASE_URL", "sqlite").split("@")[-1],
    }


def _setup_django(tmp: Path) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "credence.settings")
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{tmp / 'bench.sqlite3'}")
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0, interactive=False)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--only", help="run one benchmark, by name")
    args = parser.parse_args()
    modules = sorted(HERE.glob("bench_*.py"))
    if args.only:
        modules = [m for m in modules if m.stem in (f"bench_{args.only}", args.only)]
        if not modules:
            print(f"No benchmark named {args.only!r}.", file=sys.stderr)
            return 2
    results_dir = HERE / "results"
    results_dir.mkdir(exist_ok=True)
    failed: list[str] = []
    with tempfile.TemporaryDirectory() as tmp:
        _setup_django(Path(tmp))
        for path in modules:
            spec = importlib.util.spec_from_file_location(path.stem, path)
            assert spec and spec.loader
            module = importlib.util.module_from_spec(spec)
            spec.loader.exec_module(module)
            params = dict(module.PARAMS)
            try:
                figures = module.run(params)
            except Exception as error:  # one benchmark that cannot run (no PostgreSQL, no wrk) stops no other
                print(f"{module.NAME}: could not run: {type(error).__name__}: {error}", file=sys.stderr)
                failed.append(module.NAME)
                continue
            result = {
                "name": module.NAME,
                "figures": {k: {"value": v, "unit": u, "goal": g} for k, (v, u, g) in figures.items()},
                "params": params,
                "machine": _machine(),
                "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            }
            (results_dir / f"{module.NAME}.json").write_text(json.dumps(result, indent=2) + "\n")
            print(f"{module.NAME}:")
            for figure, (value, unit, goal) in figures.items():
                print(f"  {figure}: {value} {unit} (goal: {goal})")
    if failed:
        print(f"Benchmarks that could not run: {', '.join(failed)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
