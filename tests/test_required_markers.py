"""QUARTIERS_REQUIRE: a required test that skips fails the run; elsewhere a skip stays one.

Each test runs a small pytest session of its own (pytester) with ``tests.required`` as its
only plugin: the behaviour CI relies on, without a database.
"""

from __future__ import annotations

import pytest

pytest_plugins = ["pytester"]

SESSION = [
    "-p",
    "tests.required",
    "-p",
    "no:django",
    "-p",
    "no:xdist",
    "-p",
    "no:cacheprovider",
    "-p",
    "no:hypothesispytest",
]


@pytest.fixture
def suite(pytester: pytest.Pytester) -> pytest.Pytester:
    """A suite whose browser test skips as ours do without Chromium, beside other tests."""
    pytester.makeini(
        """
        [pytest]
        markers =
            browser: needs Chromium
            nginx: needs nginx
        """
    )
    pytester.makepyfile(
        test_suite="""
        import pytest

        @pytest.mark.browser
        @pytest.mark.skip(reason="Chromium absent (/nulle/part)")
        def test_journey():
            pass

        @pytest.mark.browser
        def test_journey_that_skips_itself():
            pytest.skip("Chromium absent (/nulle/part)")

        @pytest.mark.browser
        @pytest.mark.xfail(reason="known")
        def test_known_failure():
            assert False

        @pytest.mark.skip(reason="not required")
        def test_other():
            pass

        def test_plain():
            pass
        """
    )
    return pytester


def test_a_skipped_required_test_fails_the_run_with_its_reason(suite, monkeypatch):
    monkeypatch.setenv("QUARTIERS_REQUIRE", "browser")

    result = suite.runpytest(*SESSION, "-ra")

    result.assert_outcomes(errors=1, failed=1, skipped=1, xfailed=1, passed=1)
    result.stdout.fnmatch_lines(
        ["*Test browser ignoré alors que QUARTIERS_REQUIRE l'exige*Chromium absent (/nulle/part)*"]
    )
    assert result.ret == pytest.ExitCode.TESTS_FAILED


def test_without_the_variable_a_skipped_test_stays_skipped(suite, monkeypatch):
    monkeypatch.delenv("QUARTIERS_REQUIRE", raising=False)

    result = suite.runpytest(*SESSION)

    result.assert_outcomes(skipped=3, xfailed=1, passed=1)
    assert result.ret == pytest.ExitCode.OK


def test_a_required_marker_only_fails_its_own_tests(suite, monkeypatch):
    monkeypatch.setenv("QUARTIERS_REQUIRE", "nginx")

    result = suite.runpytest(*SESSION)

    result.assert_outcomes(skipped=3, xfailed=1, passed=1)


def test_a_misspelt_required_marker_stops_the_run_before_any_test(suite, monkeypatch):
    monkeypatch.setenv("QUARTIERS_REQUIRE", "browsr, browser")

    result = suite.runpytest(*SESSION)

    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["*QUARTIERS_REQUIRE nomme des marqueurs inconnus : browsr*"])
