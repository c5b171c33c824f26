"""The UI only renders: pages (and the rest of hub/ui) never reach the database themselves."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from hub.config import PROJECT_ROOT

FORBIDDEN = ("hub.repository", "hub.models", "sqlalchemy")
UI_FILES = sorted([*(PROJECT_ROOT / "hub" / "ui").rglob("*.py"), PROJECT_ROOT / "streamlit_app.py"])


def _imports(path: Path) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
            found |= {f"{node.module}.{alias.name}" for alias in node.names}
    return found


@pytest.mark.parametrize("path", UI_FILES, ids=lambda p: str(p.relative_to(PROJECT_ROOT)))
def test_ui_code_goes_through_services_and_read_models_only(path: Path) -> None:
    bad = sorted(name for name in _imports(path) if name.startswith(FORBIDDEN))
    assert not bad, f"{path.name} imports {bad}: call hub.services or hub.reads instead"


def test_the_rule_would_catch_a_page_that_imports_the_repository(tmp_path: Path) -> None:
    page = tmp_path / "page.py"
    page.write_text("from hub import repository\nimport sqlalchemy.orm\n", encoding="utf-8")
    assert {"hub.repository", "sqlalchemy.orm"} <= _imports(page)
