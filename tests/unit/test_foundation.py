"""Small foundation pieces: query string, catalog, content, packaging, lazy imports, docs."""

from __future__ import annotations

import ast
import json
import re
import subprocess
import sys

import pytest

from stip import config, i18n, urls

ROOT = config.REPO_ROOT
SOURCES = [p for folder in ("stip", "widgets") for p in (ROOT / folder).rglob("*.py")]


def test_query_params_drop_the_token():
    assert urls.query_params("student=42&token=geheim&klas=3B") == {"student": "42", "klas": "3B"}
    assert urls.query_params("") == {}


KEY_PATTERN = re.compile(r"^[a-z_]+(\.[a-z0-9_]+)+$")


def used_keys() -> set[str]:
    """Every string literal in stip/ and widgets/ shaped like a catalog key (`start.demo_button`)."""
    keys = set()
    for path in SOURCES:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Constant)
                and isinstance(node.value, str)
                and KEY_PATTERN.match(node.value)
            ):
                keys.add(node.value)
    return keys


def literal_t_keys() -> set[str]:
    """The literal first arguments of `t(...)`: each must exist."""
    keys = set()
    for path in SOURCES:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "t" and node.args:
                if isinstance(node.args[0], ast.Constant):
                    keys.add(node.args[0].value)
    return keys


def test_every_used_message_key_is_in_the_dutch_catalog():
    missing = literal_t_keys() - set(i18n.catalog("nl"))
    assert not missing, f"keys missing from stip/i18n/nl/: {sorted(missing)}"


def test_no_unused_keys_and_no_key_in_two_files():
    seen: dict[str, str] = {}
    for path in sorted((i18n.HERE / "nl").glob("*.json")):
        for key in json.loads(path.read_text(encoding="utf-8")):
            assert key not in seen, f"{key} in {seen.get(key)} and {path.name}"
            seen[key] = path.name
    used = used_keys()
    used |= {f"{key}.one" for key in used}  # singular forms go with their key (`t(key, count=1)`)
    unused = set(seen) - used
    assert not unused, f"unused keys: {sorted(unused)}"


def test_count_one_takes_the_singular_form():
    assert i18n.t("startgesprek.invited_marked", count=1) == "1 gezin staat nu als uitgenodigd."
    assert i18n.t("startgesprek.invited_marked", count=3).startswith("3 gezinnen")


def test_missing_key_falls_back_to_the_key_and_placeholders_fill():
    assert i18n.t("no.such.key") == "no.such.key"
    assert "51" in i18n.t("start.school_line", school="X", students=51, klassen=2)


def dependency_names(specs):
    return {re.split(r"[<>=\[ ]", spec, maxsplit=1)[0].lower().replace("_", "-") for spec in specs}


def test_environment_yml_lists_the_same_dependencies_as_pyproject():
    import tomllib

    import yaml

    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]
    conda = yaml.safe_load((ROOT / "environment.yml").read_text())["dependencies"]
    listed = [d for d in conda if isinstance(d, str) and not d.startswith(("python", "pip"))]
    assert dependency_names(listed) == dependency_names(project)


HEAVY = ("pandas", "alembic", "openpyxl", "xlsxwriter", "weasyprint", "matplotlib")


@pytest.mark.parametrize(
    "module", sorted(p.stem for p in (ROOT / "widgets").glob("*.py") if p.stem != "__init__")
)
def test_screen_modules_import_no_heavy_modules(module):
    code = f"import sys, widgets.{module}; print([m for m in {HEAVY!r} if m in sys.modules])"
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    )
    assert out.stdout.strip() == "[]"


def test_generated_docs_are_current():
    sys.path.insert(0, str(ROOT / "docs"))
    try:
        import generate
    finally:
        sys.path.pop(0)
    for name, build in generate.PAGES.items():
        current = (ROOT / "docs" / name).read_text(encoding="utf-8")
        assert current == build(), f"docs/{name} is out of date: run `make docs`"


def test_every_setting_is_documented():
    doc = (ROOT / "docs" / "settings.md").read_text(encoding="utf-8")
    for name in config.SETTINGS:
        assert f"`{name}`" in doc


def test_content_names_its_sources():
    for path in (ROOT / "stip" / "content").rglob("*.yaml"):
        assert "Sources" in path.read_text(encoding="utf-8") or "Bron" in path.read_text(encoding="utf-8"), (
            path
        )


def test_copycheck_finds_no_copied_passages():
    tool = ROOT.parent / "shared" / "tools" / "copycheck.py"
    if not tool.exists():
        pytest.skip("../shared is not beside the project")
    out = subprocess.run([sys.executable, str(tool), str(ROOT)], capture_output=True, text=True, timeout=120)
    assert out.stdout == "" and out.returncode == 0, out.stdout


def test_template_loads_nothing_from_other_hosts():
    template = ROOT / "share" / "jupyter" / "voila" / "templates" / "stip"
    for path in template.rglob("*"):
        if path.is_file():
            text = path.read_text(encoding="utf-8")
            assert not re.search(r"""(href|src)=["']https?://""", text), path
            assert "cdn." not in text, path
