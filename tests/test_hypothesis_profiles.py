"""Hypothesis profiles: `ci` (default: derandomized, 200) and `deep` (20,000, random), chosen on the command line."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import settings

TESTS = Path(__file__).resolve().parent


def test_profiles_are_registered():
    ci, deep = settings.get_profile("ci"), settings.get_profile("deep")
    assert ci.derandomize and ci.max_examples == 200 and ci.deadline is None
    assert not deep.derandomize and deep.max_examples == 20_000 and deep.deadline is None


def test_the_loaded_profile_is_the_one_asked_for(request):
    wanted = settings.get_profile(request.config.getoption("hypothesis_profile", None) or "ci")
    assert settings.default.max_examples == wanted.max_examples
    assert settings.default.derandomize == wanted.derandomize


@pytest.mark.slow  # two pytest runs in subprocesses
def test_hypothesis_profile_option_selects_deep():
    node = f"{TESTS / 'test_hypothesis_profiles.py'}::test_the_loaded_profile_is_the_one_asked_for"
    # the inner test fails unless settings.default is the profile named on the command line
    for profile in ("deep", "ci"):
        # nbval is not needed here and imports nbformat (jsonschema's IRI grammars: 1.2 s a process)
        proc = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "no:nbval",
                               "-p", "no:xdist", "-o", "addopts=", "--hypothesis-profile", profile, node],
                              capture_output=True, text=True,
                              cwd=TESTS.parent, env=dict(os.environ), timeout=120)
        assert proc.returncode == 0 and "1 passed" in proc.stdout, proc.stdout + proc.stderr
