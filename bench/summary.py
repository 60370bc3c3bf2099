"""One table of every goal of issue 9, from the benches that ran last (``make bench``).

.venv/bin/python bench/summary.py
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.results import RESULTS, load_goals, print_goals

BENCHES = ["provisioning", "federation", "pages", "page_weight", "scale", "backups"]


def main() -> None:
    goals = [goal for bench in BENCHES for goal in load_goals(bench)]
    if not goals:
        sys.exit(f"Aucun résultat dans {RESULTS} : lancez d'abord les benchs (make bench).")
    # Each bench compares figures of its own run; the benches themselves may have run
    # at different times (the scale bench takes half an hour at 1,000 portals).
    print("\n## Issue 9: every goal, from each bench's last run\n")
    print_goals(goals)
    missed = [goal.label for goal in goals if not goal.met]
    print(f"\n{len(goals) - len(missed)}/{len(goals)} goals met.")


if __name__ == "__main__":
    main()
