"""Popular lists, look-alike search, name normalization and which entries get looked up."""

from __future__ import annotations

from importlib import resources

import pytest

from auditor.deps.names import go_escape, normalize, npm_path
from auditor.deps.popular import LIST_FILES, popular_index, within_one_edit
from auditor.deps.select import exact_version, target_for
from auditor.stack.model import Dependency


@pytest.mark.parametrize("ecosystem", sorted(LIST_FILES))
def test_every_list_says_where_and_when_it_comes_from(ecosystem):
    text = (resources.files("auditor.deps") / "data" / LIST_FILES[ecosystem]).read_text()
    header = text.splitlines()[0]
    assert header.startswith("# ") and "2026" in header
    index = popular_index(ecosystem)
    assert len(index.names) >= 100


@pytest.mark.parametrize(
    "ecosystem, name, imitates",
    [("pypi", "reqeusts", "requests"), ("pypi", "python3-dateutil", "python-dateutil"), ("pypi", "colourama", "colorama"),
     ("pypi", "scikitlearn", "scikit-learn"), ("npm", "crossenv", "cross-env"), ("npm", "lodahs", "lodash"),
     ("npm", "@typescript_eslint/eslint-plugin", "@typescript-eslint/eslint-plugin"), ("npm", "axois", "axios"),
     ("rubygems", "nokogirl", "nokogiri"), ("crates.io", "serde_jsno", "serde_json"),
     ("packagist", "guzzlehttp/guzle", "guzzlehttp/guzzle")],
)
def test_lookalikes_name_what_they_imitate(ecosystem, name, imitates):
    hit = popular_index(ecosystem).imitated(normalize(ecosystem, name).lower())
    assert hit is not None and hit[0] == normalize(ecosystem, imitates).lower()


@pytest.mark.parametrize("ecosystem, name", [("pypi", "requests"), ("pypi", "flask-cors"), ("npm", "react-dom"),
                                             ("npm", "@types/node"), ("npm", "ms"), ("pypi", "six")])
def test_popular_names_are_never_squats(ecosystem, name):
    assert popular_index(ecosystem).imitated(normalize(ecosystem, name).lower()) is None


def test_edit_distance_one():
    assert within_one_edit("lodash", "lodahs") and within_one_edit("lodash", "lodas") and within_one_edit("lodash", "llodash")
    assert not within_one_edit("lodash", "ldoahs") and not within_one_edit("react", "preact!")


def test_normalization_and_url_spelling():
    assert normalize("pypi", "Flask_SQLAlchemy") == "flask-sqlalchemy"
    assert normalize("crates.io", "Serde_JSON") == "serde-json"
    assert go_escape("github.com/Azure/azure-sdk-for-go") == "github.com/!azure/azure-sdk-for-go"
    assert npm_path("@types/node") == "@types%2Fnode"


def dep(name, eco="npm", spec=None, version=None):
    return Dependency(name=name, ecosystem=eco, path="package.json", line=3, spec=spec, version=version)


@pytest.mark.parametrize("spec", ["file:../lib", "workspace:*", "git+https://github.com/a/b.git", "github:a/b",
                                  "https://example.com/x.tgz", "link:../x", "./local"])
def test_non_registry_specs_are_not_looked_up(spec):
    assert target_for(dep("my-lib", spec=spec)) is None


def test_npm_alias_checks_the_real_package_and_private_go_modules_are_skipped(monkeypatch):
    t = target_for(dep("my-lodash", spec="npm:lodash@4.17.21"))
    assert t.name == "lodash"
    monkeypatch.setenv("GOPRIVATE", "corp.example.com/*,github.com/acme")
    assert target_for(dep("github.com/acme/tools", "go", version="v1.0.0")) is None
    assert target_for(dep("github.com/gin-gonic/gin", "go", version="v1.9.1")) is not None


@pytest.mark.parametrize(
    "eco, spec, version, expected",
    [("pypi", "==2.31.0", None, "2.31.0"), ("pypi", ">=2,<3", None, None), ("npm", "4.17.21", None, "4.17.21"),
     ("npm", "^4.17.21", None, None), ("npm", "^4.17.0", "4.17.21", "4.17.21"), ("pypi", "==2.*", None, None)],
)
def test_exact_version(eco, spec, version, expected):
    assert exact_version(dep("x", eco, spec, version)) == expected


def test_npmrc_private_scopes_are_not_looked_up():
    from auditor.deps.select import private_npm_scopes

    scopes = frozenset(private_npm_scopes("registry=https://registry.npmjs.org/\n@Corp:registry=https://npm.corp.example/\n"))
    assert scopes == {"@corp"}
    assert target_for(dep("@corp/ui"), scopes) is None
    assert target_for(dep("@types/node"), scopes) is not None
