"""The layers stated in pyproject.toml hold, and a forbidden import would break them."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def lint(tree: Path) -> subprocess.CompletedProcess[str]:
    """import-linter over the packages as they are in tree (a copy of the repository's)."""
    env = {**os.environ, "PYTHONPATH": str(tree)}
    return subprocess.run([str(LINT_IMPORTS), "--no-cache", "--no-logo"], cwd=tree, env=env,  # noqa: S603
                          capture_output=True, text=True, timeout=120, check=False)


def copy_of_the_packages(tmp_path: Path) -> Path:
    for name in ("meetings", "annotations"):
        shutil.copytree(ROOT / name, tmp_path / name, ignore=shutil.ignore_patterns("static", "__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    return tmp_path


def test_the_layers_hold_in_the_repository(tmp_path: Path) -> None:
    result = lint(copy_of_the_packages(tmp_path))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


def test_an_import_from_the_pdf_infrastructure_into_a_capability_breaks_the_build(tmp_path: Path) -> None:
    tree = copy_of_the_packages(tmp_path)
    store = tree / "meetings" / "pdf" / "store.py"
    # hidden inside a function, where today's imports used to dodge cycles: still caught
    store.write_text(store.read_text(encoding="utf-8")
                     + "\n\ndef _sneaky() -> None:\n    from meetings.dossiers import models  # noqa: F401\n",
                     encoding="utf-8")
    result = lint(tree)
    assert result.returncode != 0
    assert "Infrastructure imports no capability BROKEN" in result.stdout
    assert "meetings.pdf.store -> meetings.dossiers.models" in result.stdout


def test_a_capability_importing_another_breaks_the_build(tmp_path: Path) -> None:
    tree = copy_of_the_packages(tmp_path)
    views = tree / "meetings" / "reader" / "views.py"
    sneaky = "\nfrom meetings.attendance import receipts  # noqa: E402,F401\n"
    views.write_text(views.read_text(encoding="utf-8") + sneaky, encoding="utf-8")
    result = lint(tree)
    assert result.returncode != 0
    assert "meetings.reader is not allowed to import meetings.attendance" in result.stdout
