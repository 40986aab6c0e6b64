"""The catalog (package -> component) agrees with docs/components.md and DESIGN.md."""

import re
from pathlib import Path

import pytest

from auditor.errors import AuditorError
from auditor.stack.catalog import load_catalog, normalize_name, parse_catalog

DOCS = Path(__file__).resolve().parents[2] / "docs" / "components.md"
DESIGN_FRAMEWORKS = {
    "react", "nextjs", "vue", "angular", "svelte", "express", "fastify", "nestjs", "koa", "django", "flask",
    "fastapi", "spring-boot", "rails", "sinatra", "gin", "echo", "laravel", "aspnet-core",
}
# Components detection adds from files, not from package names.
FROM_FILES = {"net-http", "nextjs-app-router", "nextjs-pages-router", "sqlite3"}


def documented_ids() -> set[str]:
    text = DOCS.read_text(encoding="utf-8")
    ids = set()
    for line in text.splitlines():
        if line.startswith("| ") and not line.startswith(("| id", "| ---")):
            ids.update(part.strip() for part in line.split("|")[1].split("/"))
    sections = text.split("## Libraries")[0]
    ids.update(re.findall(r"`([a-z0-9-]+)`", sections))
    return ids


def test_every_catalog_id_is_documented():
    catalog = load_catalog()
    missing = set(catalog.kinds) - documented_ids()
    assert not missing, f"catalog ids missing from docs/components.md: {sorted(missing)}"


def test_every_documented_library_is_in_the_catalog_or_from_files():
    catalog = load_catalog()
    text = DOCS.read_text(encoding="utf-8")
    table_ids = set()
    for line in text.split("## Libraries")[1].splitlines():
        if line.startswith("| ") and not line.startswith(("| id", "| ---")):
            table_ids.update(part.strip() for part in line.split("|")[1].split("/"))
    assert table_ids - set(catalog.kinds) <= FROM_FILES


def test_framework_ids_are_the_design_contract():
    catalog = load_catalog()
    frameworks = {cid for cid, kind in catalog.kinds.items() if kind == "framework"}
    assert frameworks == DESIGN_FRAMEWORKS


def test_lookups_normalize_like_the_registry():
    catalog = load_catalog()
    assert [e.id for e, _ in catalog.match("pypi", "Flask_Login")] == ["flask-login"]
    assert [e.id for e, _ in catalog.match("nuget", "microsoft.aspnetcore.authentication.jwtbearer")] == ["aspnet-core"]
    assert {e.id for e, _ in catalog.match("maven", "org.springframework.boot:spring-boot-starter-data-jpa")} == {
        "jpa", "spring-boot"}
    assert catalog.match("npm", "Express") == []  # npm names are case-sensitive
    assert dict((e.id, v) for e, v in catalog.match("pypi", "marshmallow")) == {"pydantic": False}
    assert normalize_name("pypi", "Zope.Interface") == "zope-interface"


@pytest.mark.parametrize("data, message", [
    ({"cpan": []}, "unknown ecosystem"),
    ({"npm": [{"id": "x", "kind": "gadget", "packages": ["x"]}]}, "unknown kind"),
    ({"npm": [{"id": "x", "packages": ["x"]}]}, "needs id, kind and packages"),
    ({"npm": [{"id": "x", "kind": "orm", "packages": ["x"], "implies": ["nope"]}]}, "implies unknown"),
    ({"npm": [{"id": "x", "kind": "orm", "packages": ["x"]}], "pypi": [{"id": "x", "kind": "auth", "packages": ["x"]}]},
     "two kinds"),
])
def test_bad_catalog_data_is_rejected(data, message):
    with pytest.raises(AuditorError, match=message):
        parse_catalog(data)
