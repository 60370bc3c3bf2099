"""The goals a bench measures, printed as one table and kept for ``bench/summary.py``."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from pathlib import Path

RESULTS = Path(__file__).resolve().parent.parent / "var" / "bench"


@dataclass(frozen=True)
class Goal:
    """One goal of issue 9: ``measured / reference`` must reach ``target`` (or stay under
    it when ``higher_is_better`` is False). Both figures come from the same run."""

    label: str
    measured: float
    reference: float
    target: float
    unit: str
    higher_is_better: bool = True

    @property
    def ratio(self) -> float:
        return self.measured / self.reference if self.reference else float("inf")

    @property
    def met(self) -> bool:
        return self.ratio >= self.target if self.higher_is_better else self.ratio <= self.target


def _figure(value: float, unit: str) -> str:
    if unit == "s":
        return f"{value:.3f} s"
    if unit == "MiB":
        return f"{value:,.1f} MiB"
    return f"{value:,.0f} {unit}"


def print_goals(goals: list[Goal]) -> None:
    """The goals as a Markdown table: measured, reference, ratio, target, met."""
    print("| goal | measured | reference | ratio | target | met |")
    print("| --- | ---: | ---: | ---: | ---: | :---: |")
    for goal in goals:
        sign = "≥" if goal.higher_is_better else "≤"
        print(
            f"| {goal.label} | {_figure(goal.measured, goal.unit)} "
            f"| {_figure(goal.reference, goal.unit)} | {goal.ratio:.2f} "
            f"| {sign} {goal.target:g} | {'yes' if goal.met else 'NO'} |"
        )


def save_goals(bench: str, goals: list[Goal]) -> None:
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / f"{bench}.json").write_text(json.dumps([asdict(goal) for goal in goals]))


def load_goals(bench: str) -> list[Goal]:
    path = RESULTS / f"{bench}.json"
    if not path.exists():
        return []
    return [Goal(**fields) for fields in json.loads(path.read_text())]
