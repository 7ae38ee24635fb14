"""The committed reference pages match what the declarations generate."""

from __future__ import annotations

from pathlib import Path

import pytest

from planfix_server import docgen
from planfix_server.api.catalogue import ALL_FUNCTIONS
from planfix_server.api.errors import ERRORS_BY_CODE
from planfix_server.api.registry import load_domains
from planfix_server.settings import SETTINGS

DOCS = Path(__file__).resolve().parents[1] / "docs"


@pytest.mark.parametrize("name", sorted(docgen.PAGES))
def test_committed_page_is_current(name: str) -> None:
    path = DOCS / name
    generated = docgen.PAGES[name]()
    assert path.is_file(), f"docs/{name} is missing: run `{docgen.REGENERATE}`"
    assert path.read_text(encoding="utf-8") == generated, (
        f"docs/{name} is stale: run `{docgen.REGENERATE}` and commit the result"
    )


def test_output_is_deterministic() -> None:
    assert docgen.render_all() == docgen.render_all()


def test_settings_page_names_every_variable() -> None:
    page = docgen.render_settings()
    for spec in SETTINGS:
        assert f"`{spec.env}`" in page


def test_methods_page_covers_every_function() -> None:
    registry = load_domains()
    page = docgen.render_methods(registry)
    done = sum(spec.implemented for spec in registry.values())
    assert f"**{done} / {len(ALL_FUNCTIONS)}**" in page
    for name in ALL_FUNCTIONS:
        assert f"`{name}`" in page
        if registry[name].implemented:
            assert f"\n### {name}\n" in page
            for code in registry[name].errors:
                assert f"- `{code}` " in page


def test_errors_page_lists_every_code() -> None:
    page = docgen.render_errors()
    for code, cls in ERRORS_BY_CODE.items():
        assert f"| `{code}` | `{cls.__name__}` |" in page


def test_check_reports_stale_pages(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert docgen.main(["--docs-dir", str(tmp_path), "--check"]) == 1
    assert "stale" in capsys.readouterr().err
    assert docgen.main(["--docs-dir", str(tmp_path)]) == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(docgen.PAGES)
    assert docgen.main(["--docs-dir", str(tmp_path), "--check"]) == 0
    (tmp_path / "errors.md").write_text("old\n", encoding="utf-8")
    assert docgen.main(["--docs-dir", str(tmp_path), "--check"]) == 1
    assert "errors.md" in capsys.readouterr().err
