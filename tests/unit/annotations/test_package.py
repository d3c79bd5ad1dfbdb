"""The package's promise: plain data in, plain data out, and no web framework anywhere in it."""

from __future__ import annotations

import pkgutil
import subprocess
import sys
from pathlib import Path

import annotations


def test_no_module_of_the_package_imports_flask_or_the_app() -> None:
    modules = [f"annotations.{m.name}" for m in pkgutil.iter_modules(annotations.__path__)]
    assert {"annotations.store", "annotations.anchoring", "annotations.w3c", "annotations.pdf_export"} <= set(
        modules
    )
    code = (
        "import importlib, sys\n"
        f"for name in {modules!r}: importlib.import_module(name)\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('flask', 'meetings', 'werkzeug')))"
    )

    root = Path(annotations.__file__).resolve().parent.parent
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=root)

    assert out.stdout.strip() == "[]"
