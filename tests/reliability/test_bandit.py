"""Static security check: bandit over tracker/ finds no medium or high issue left unexplained.

An issue may be explained in place with `# nosec BXXX - reason`; bandit then skips it. A bare `# nosec`, or one
without a test id and a reason, is not an explanation, and fails this test too.
"""
from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.reliability

ROOT = Path(__file__).resolve().parents[2]
BANDIT = Path(sys.executable).with_name("bandit")
NOSEC = re.compile(r"#\s*nosec\b(?P<rest>.*)$")
EXPLAINED = re.compile(r"^\s*B\d{3}(\s*,\s*B\d{3})*\s+-\s+\S.{5,}")


def test_bandit_finds_no_medium_or_high_issue_in_tracker() -> None:
    done = subprocess.run(  # noqa: S603 - bandit from this project's own environment, on its own code
        [str(BANDIT), "-q", "-r", "tracker", "-ll", "-f", "json"], cwd=ROOT, capture_output=True, text=True,
        timeout=300, check=False)
    report = json.loads(done.stdout)
    assert not report["errors"], report["errors"]
    findings = [f"{r['filename']}:{r['line_number']}: {r['test_id']} ({r['issue_severity']}) {r['issue_text']}"
                for r in report["results"]]
    assert not findings, "bandit found:\n" + "\n".join(findings)
    assert done.returncode == 0, done.stderr[-2000:]


def test_every_nosec_names_its_check_and_says_why() -> None:
    bare = []
    for path in sorted((ROOT / "tracker").rglob("*.py")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            match = NOSEC.search(line)
            if match and not EXPLAINED.match(match.group("rest")):
                bare.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert not bare, "write `# nosec BXXX - reason` instead of:\n" + "\n".join(bare)
