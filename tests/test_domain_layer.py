"""The domain layer stands without Flask: every module of tracker.domain imports in an interpreter where Flask,
its extensions and Werkzeug cannot be imported at all."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

PROBE = r"""
import importlib, importlib.abc, pkgutil, sys

BLOCKED = ("flask", "flask_sqlalchemy", "flask_login", "flask_wtf", "flask_migrate", "flask_limiter",
           "flask_smorest", "werkzeug", "jinja2", "wtforms")

class Refuse(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in BLOCKED:
            raise ImportError(f"{name} is not allowed in the domain layer")
        return None

sys.meta_path.insert(0, Refuse())
import tracker.domain
names = ["tracker.models"] + [m.name for m in pkgutil.walk_packages(tracker.domain.__path__, "tracker.domain.")]
for name in names:
    importlib.import_module(name)
loaded = sorted(m for m in sys.modules if m.split(".")[0] in BLOCKED)
assert not loaded, loaded
print(len(names))
"""


def test_every_domain_module_imports_without_flask() -> None:
    result = subprocess.run([sys.executable, "-c", PROBE], cwd=ROOT, capture_output=True, text=True, timeout=120,
                            check=False)
    assert result.returncode == 0, result.stderr
    assert int(result.stdout.strip()) >= 20  # tracker.models and every module of the domain layer


def test_the_probe_refuses_flask() -> None:
    """The probe itself can fail: importing a module that needs Flask is refused."""
    probe = PROBE.replace('import tracker.domain\n', 'import tracker.domain\nimport tracker.web.extensions\n')
    result = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, timeout=120,
                            check=False)
    assert result.returncode != 0 and "not allowed in the domain layer" in result.stderr
