"""Checking an archive's SQL before it is replayed: time against the size of the dump.

    .venv/bin/python bench/dump_check.py [--rows 1000 2000 4000 8000]

An import checks every statement of a portal's dump with PostgreSQL's parser (pglast)
before running it (``tenants/dump_check.py``). French text is full of multibyte
characters, on which parsing a whole dump at once was quadratic (2,000 rows of 300
accented characters: about 90 s); the checker cuts the dump into statements by byte
offsets, then parses each alone. Prints seconds per size and per thousand rows: a
linear check keeps the last column flat. Needs no database.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "core.settings")

from tenants.dump_check import DumpChecker

ROW = "INSERT INTO alpha.t VALUES (%d, '%s');\n"
# As pg_dump writes it: quotes doubled inside the literal.
TEXT = "Fête de quartier à l''école élémentaire, goûter partagé, où l''on échange. " * 4


def seconds_to_check(rows: int, runs: int = 3) -> list[float]:
    """Wall-clock seconds of ``runs`` checks of a dump of ``rows`` accented INSERTs."""
    sql = "".join(ROW % (number, TEXT) for number in range(rows))
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        DumpChecker({"alpha"}).statements(sql)
        timings.append(time.perf_counter() - started)
    return timings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, nargs="+", default=[1000, 2000, 4000, 8000])
    args = parser.parse_args()
    print("| rows | KiB of SQL | median (s) | min (s) | max (s) | s per 1,000 rows |")
    print("| ---: | ---: | ---: | ---: | ---: | ---: |")
    for rows in args.rows:
        timings = seconds_to_check(rows)
        size = len("".join(ROW % (n, TEXT) for n in range(rows)).encode()) / 1024
        median = statistics.median(timings)
        print(
            f"| {rows:,} | {size:,.0f} | {median:.2f} | {min(timings):.2f} | "
            f"{max(timings):.2f} | {median / rows * 1000:.3f} |",
            flush=True,
        )


if __name__ == "__main__":
    main()
