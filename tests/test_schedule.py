"""The order modules are handed to xdist's workers in: the costliest first, nothing lost."""

import json

from tests.schedule import COSTS, known_costs, longest_first

COLLECTED = [
    "tests/a/test_quick.py::test_one",
    "tests/a/test_quick.py::test_two",
    "tests/b/test_slow.py::test_one[x]",
    "tests/b/test_slow.py::test_one[y]",
    "tests/c/test_new.py::test_one",
    "tests/d/test_middling.py::test_one",
]


def test_the_costliest_modules_come_first_each_module_whole_and_in_its_order():
    costs = {"tests/b/test_slow.py": 300.0, "tests/d/test_middling.py": 20.0}

    ordered = longest_first(COLLECTED, costs)

    assert ordered == [
        "tests/b/test_slow.py::test_one[x]",
        "tests/b/test_slow.py::test_one[y]",
        "tests/d/test_middling.py::test_one",
        # Unknown modules (never measured) keep their collection order, after the rest.
        "tests/a/test_quick.py::test_one",
        "tests/a/test_quick.py::test_two",
        "tests/c/test_new.py::test_one",
    ]


def test_without_costs_the_collection_order_is_kept():
    assert longest_first(COLLECTED, {}) == COLLECTED


def test_the_committed_costs_name_modules_that_exist():
    # A renamed module would silently lose its place at the front.
    costs = known_costs()
    assert len(costs) == len(json.loads(COSTS.read_text())) > 0
    root = COSTS.parent.parent
    assert [name for name in costs if not (root / name).is_file()] == []
