"""The money code stays small enough to hold in one's head: no module of contributions/ is
over 400 lines (issue 11). A module that grows past it splits by job, as services/ did."""

from pathlib import Path

import contributions

LIMIT = 400
PACKAGE = Path(contributions.__file__).resolve().parent


def test_no_module_in_contributions_is_over_400_lines():
    sizes = {
        str(path.relative_to(PACKAGE)): len(path.read_text().splitlines())
        for path in PACKAGE.rglob("*.py")
        if "migrations" not in path.parts
    }
    assert sizes, "no modules found"
    assert {path: lines for path, lines in sizes.items() if lines > LIMIT} == {}
