"""Every module of citypartner_desktop says in its first lines what it is for."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "citypartner_desktop"


def modules_without_docstring(package: Path) -> list[str]:
    return [
        path.relative_to(package.parent).as_posix()
        for path in sorted(package.rglob("*.py"))
        if not (ast.get_docstring(ast.parse(path.read_text(encoding="utf-8"), str(path))) or ""
                ).strip()
    ]


def test_every_module_has_a_docstring() -> None:
    missing = modules_without_docstring(PACKAGE)
    assert not missing, "modules without a docstring saying what they are for:\n" + "\n".join(
        missing)


def test_the_walk_sees_a_missing_docstring(tmp_path: Path) -> None:
    (tmp_path / "pkg" / "sub").mkdir(parents=True)
    (tmp_path / "pkg" / "__init__.py").write_text("")
    (tmp_path / "pkg" / "sub" / "told.py").write_text('"""What this is for."""\nx = 1\n')
    (tmp_path / "pkg" / "sub" / "silent.py").write_text('# a comment is not a docstring\nx = 1\n')
    (tmp_path / "pkg" / "late.py").write_text('x = 1\n"""too late to be the docstring"""\n')
    assert modules_without_docstring(tmp_path / "pkg") == [
        "pkg/__init__.py", "pkg/late.py", "pkg/sub/silent.py"]
