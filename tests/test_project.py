"""Project-wide checks: lint, formatting, the layer rule and the package's own example."""

import doctest
import subprocess
import sys
from pathlib import Path

import gd_core

ROOT = Path(__file__).resolve().parents[1]


def test_ruff_lint_and_format_are_clean():
    for args in (["check", "."], ["format", "--check", "."]):
        result = subprocess.run(
            [sys.executable, "-m", "ruff", *args], cwd=ROOT, capture_output=True, text=True
        )
        assert result.returncode == 0, result.stdout + result.stderr


def test_gd_core_imports_no_ui_library():
    for path in (ROOT / "gd_core").glob("*.py"):
        for line in path.read_text().splitlines():
            words = line.split()
            if words[:1] in (["import"], ["from"]) and len(words) > 1:
                assert words[1].split(".")[0] not in {"streamlit", "pandas", "altair"}, path


def test_the_package_example_runs_as_written():
    assert doctest.testmod(gd_core, raise_on_error=False).failed == 0


def test_plain_ui_helpers_import_no_streamlit():
    """ui/plain is plain Python: it imports neither Streamlit nor the ui folders that do."""
    for path in (ROOT / "ui" / "plain").glob("*.py"):
        for line in path.read_text().splitlines():
            words = line.split()
            if words[:1] in (["import"], ["from"]) and len(words) > 1:
                module = words[1]
                assert module.split(".")[0] != "streamlit", path
                assert not module.startswith(("ui.state", "ui.compute", "ui.charts")), path
