"""Project set-up that a fresh clone relies on."""

from __future__ import annotations

import re

from .conftest import ROOT


def test_ci_runs_the_readme_test_command():
    readme = (ROOT / "README.md").read_text()
    commands = re.findall(r"```sh\n(.+?)\n```", readme)
    assert len(commands) == 2, "the Quickstart has exactly two commands"
    assert commands[1] in (ROOT / ".ci" / "run").read_text()
