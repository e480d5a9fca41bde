"""The code stays ruff clean (lint and format), as the project asks of every change."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# The ruff of the test extras, installed beside this Python: not whichever is on PATH.
RUFF = Path(sys.executable).parent / "ruff"


@pytest.mark.parametrize("command", [["check"], ["format", "--check"]])
def test_ruff(command):
    assert RUFF.is_file(), f"ruff is one of the test extras; none beside {sys.executable}"
    result = subprocess.run([RUFF, *command, "."], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
