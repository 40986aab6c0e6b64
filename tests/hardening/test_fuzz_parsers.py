"""Property-based fuzzing (Hypothesis) of everything that parses untrusted files: every
manifest and lockfile parser, the baseline reader and the OSV record reader/matcher.

The property: whatever the bytes, the only exception is the documented input error
(ManifestError for a manifest, InputError for a baseline, AuditorError for an --osv-db
record); a record the reader accepts never crashes the matching code. Inputs come three ways:
mutations of a small valid file of each kind, JSON/TOML built from the keys the parsers look
at with values of every type, and line soups of each format's own syntax. Examples are
bounded and derandomized so CI runs are quick and repeatable.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from auditor.deps.osv.model import BadRecord, VulnQuery, answer_from_records, trim
from auditor.errors import AuditorError, InputError
from auditor.scan.baseline import load_baseline
from auditor.stack.ecosystems import BY_NAME, CSPROJ, REQUIREMENTS, FileKind
from auditor.stack.ecosystems.base import ManifestError, ParseContext

FUZZ = settings(max_examples=int(os.environ.get("FUZZ_EXAMPLES", "40")), deadline=None, derandomize=not os.environ.get("FUZZ_EXAMPLES"), database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])

SEEDS: dict[str, str] = {
    "package.json": '{"name": "a", "dependencies": {"express": "^4.18.2"}, "devDependencies": {"jest": "29.0.0"},'
                    ' "workspaces": ["pkg/*"], "overrides": {"qs": "6.11.0"}}',
    "package-lock.json": '{"lockfileVersion": 3, "packages": {"": {"dependencies": {"express": "^4.18.2"}},'
                         ' "node_modules/express": {"version": "4.18.2", "dev": false}},'
                         ' "dependencies": {"express": {"version": "4.18.2", "requires": {"qs": "6.11.0"}}}}',
    "yarn.lock": '# yarn lockfile v1\n\nexpress@^4.18.2:\n  version "4.18.2"\n  resolved "https://r/e.tgz"\n'
                 '\n"@types/node@*", "@types/node@^20":\n  version "20.1.0"\n',
    "pnpm-lock.yaml": "lockfileVersion: '6.0'\nimporters:\n  .:\n    dependencies:\n      express:\n"
                      "        specifier: ^4.18.2\n        version: 4.18.2\npackages:\n  /express@4.18.2:\n"
                      "    dev: false\n",
    "pyproject.toml": '[project]\nname = "a"\ndependencies = ["flask>=3.0", "requests==2.31.0"]\n'
                      '[project.optional-dependencies]\ndev = ["pytest"]\n[tool.poetry.dependencies]\n'
                      'python = "^3.11"\ndjango = "4.2.0"\n[tool.poetry.group.dev.dependencies]\nblack = "*"\n',
    "Pipfile": '[packages]\nflask = "==3.0.0"\nrequests = {version = "*"}\n[dev-packages]\npytest = "*"\n',
    "Pipfile.lock": '{"_meta": {}, "default": {"flask": {"version": "==3.0.0"}}, "develop": {"pytest": {}}}',
    "setup.cfg": "[metadata]\nname = a\n[options]\ninstall_requires =\n    flask>=3\n    requests\n"
                 "[options.extras_require]\ndev = pytest\n",
    "poetry.lock": '[[package]]\nname = "flask"\nversion = "3.0.0"\ncategory = "main"\n\n[[package]]\n'
                   'name = "pytest"\nversion = "8.0.0"\n',
    "uv.lock": 'version = 1\n[[package]]\nname = "flask"\nversion = "3.0.0"\nsource = { registry = "https://pypi.org/simple" }\n',
    "pdm.lock": '[[package]]\nname = "flask"\nversion = "3.0.0"\n',
    "pom.xml": '<project xmlns="http://maven.apache.org/POM/4.0.0"><parent><groupId>org.springframework.boot'
               '</groupId><artifactId>spring-boot-starter-parent</artifactId><version>3.2.0</version></parent>'
               '<properties><x.version>1.0</x.version></properties><dependencies><dependency><groupId>g'
               '</groupId><artifactId>a</artifactId><version>${x.version}</version></dependency>'
               '</dependencies></project>',
    "build.gradle": "plugins { id 'org.springframework.boot' version '3.2.0' }\ndependencies {\n"
                    "  implementation 'org.springframework.boot:spring-boot-starter-web'\n"
                    "  testImplementation(\"junit:junit:4.13.2\")\n}\n",
    "Gemfile": "source 'https://rubygems.org'\ngem 'rails', '~> 7.1'\ngroup :development do\n  gem 'pry'\nend\n",
    "Gemfile.lock": "GEM\n  remote: https://rubygems.org/\n  specs:\n    rails (7.1.2)\n      actionpack (= 7.1.2)\n"
                    "\nPLATFORMS\n  ruby\n\nDEPENDENCIES\n  rails (~> 7.1)\n",
    "go.mod": "module example.com/a\n\ngo 1.21\n\nrequire (\n\tgithub.com/gin-gonic/gin v1.9.1\n"
              "\tgolang.org/x/net v0.17.0 // indirect\n)\nreplace example.com/b => ../b\n",
    "composer.json": '{"require": {"php": ">=8.1", "laravel/framework": "^10.0"}, "require-dev": {"phpunit/phpunit": "10.0.0"}}',
    "composer.lock": '{"packages": [{"name": "laravel/framework", "version": "v10.1.0"}], "packages-dev": []}',
    "Cargo.toml": '[package]\nname = "a"\n[dependencies]\nserde = "1.0"\ntokio = { version = "1", features = ["full"] }\n',
    "Cargo.lock": 'version = 3\n[[package]]\nname = "serde"\nversion = "1.0.190"\n',
    "packages.lock.json": '{"version": 1, "dependencies": {"net8.0": {"Newtonsoft.Json": {"type": "Direct",'
                          ' "resolved": "13.0.3"}}}}',
    "requirements.txt": "flask==3.0.0\nrequests>=2.31 ; python_version > '3.8'\n-r base.txt\n-c constraints.txt\n"
                        "--hash=sha256:abc\n-e .\n",
    "app.csproj": '<Project Sdk="Microsoft.NET.Sdk.Web"><ItemGroup><PackageReference Include="Newtonsoft.Json"'
                  ' Version="13.0.3" /></ItemGroup></Project>',
}
KINDS: dict[str, FileKind] = {**BY_NAME, "requirements.txt": REQUIREMENTS, "app.csproj": CSPROJ}
JSON_FILES = [n for n in SEEDS if n.endswith(".json") or n.endswith(".lock") and SEEDS[n].startswith("{")]
TOML_FILES = [n for n in SEEDS if n.endswith(".toml") or n in ("Pipfile", "poetry.lock", "uv.lock", "pdm.lock",
                                                                  "Cargo.lock")]
# The keys the parsers look at: generated documents use them so the fuzzer reaches real code paths.
KEYS = sorted({
    "name", "version", "dependencies", "devDependencies", "optionalDependencies", "peerDependencies", "workspaces",
    "overrides", "packages", "lockfileVersion", "requires", "dev", "resolved", "default", "develop", "_meta",
    "packages-dev", "require", "require-dev", "project", "optional-dependencies", "tool", "poetry", "group",
    "dev-dependencies", "dependency-groups", "uv", "pdm", "package", "source", "features", "workspace", "type",
    "python", "path", "git", "url", "file", "editable", "importers", "specifier", "category", "markers",
})
SCALARS = st.one_of(st.none(), st.booleans(), st.integers(-5, 10**6), st.floats(allow_nan=False, allow_infinity=False),
                    st.sampled_from(["", "*", "^1.2.3", "==1.0", "1.0.0", ">=2,<3", "npm:x@1", "file:../x",
                                     "workspace:*", "v1.2", "x\x00y", "\u202e", "../..", "-r", "dev-main"]),
                    st.text(max_size=12))
VALUES = st.recursive(SCALARS, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(st.one_of(st.sampled_from(KEYS), st.text(max_size=8)), inner,
                                                 max_size=5)), max_leaves=25)
DOCUMENTS = st.dictionaries(st.sampled_from(KEYS), VALUES, max_size=6)


def _toml_value(value: object) -> str:
    if value is None:
        return '""'
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value)
    if isinstance(value, list):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    assert isinstance(value, dict)
    return "{" + ", ".join(f"{json.dumps(k)} = {_toml_value(v)}" for k, v in value.items()) + "}"


def _toml(document: dict, table: str) -> str:
    """A TOML text with the document under [table] (inline tables below it)."""
    head = f"[{table}]\n" if table else ""
    return head + "".join(f"{json.dumps(k)} = {_toml_value(v)}\n" for k, v in document.items())


@st.composite
def mutated(draw: st.DrawFn, name: str) -> str:
    """The seed of `name` with a few random edits: deletions, insertions, replacements."""
    text = SEEDS[name]
    for _ in range(draw(st.integers(1, 6))):
        pos = draw(st.integers(0, len(text)))
        cut = draw(st.integers(0, 12))
        insert = draw(st.one_of(st.text(max_size=8), st.sampled_from(["{", "[", "]", "}", '"', "\n", "=", ":",
                                                                      "\\", "\x00", "<", ">", "${", "@", "#"])))
        text = text[:pos] + insert + text[pos + cut:]
    return text


def _parse(name: str, text: str, root: Path) -> None:
    kind = KINDS[name]
    try:
        kind.load()(text, name, ParseContext(root))
    except ManifestError:
        pass  # the documented input error: one line naming the problem


@pytest.fixture(scope="module")
def project() -> Path:
    """A root for the seed's -r/-c includes to resolve in."""
    with tempfile.TemporaryDirectory() as tmp:
        (Path(tmp) / "base.txt").write_text("django>=4\n")
        (Path(tmp) / "constraints.txt").write_text("django==4.2.0\n")
        yield Path(tmp)


@pytest.mark.parametrize("name", sorted(SEEDS))
@FUZZ
@given(data=st.data())
def test_mutated_manifests_raise_only_manifest_error(project: Path, name: str, data: st.DataObject):
    _parse(name, data.draw(mutated(name)), project)


@pytest.mark.parametrize("name", sorted(JSON_FILES))
@FUZZ
@given(document=DOCUMENTS)
def test_json_manifests_of_any_shape_raise_only_manifest_error(project: Path, name: str, document: dict):
    _parse(name, json.dumps(document), project)


@pytest.mark.parametrize("name", sorted(TOML_FILES))
@FUZZ
@given(document=DOCUMENTS, table=st.sampled_from(["", "project", "tool.poetry", "tool.poetry.dependencies",
                                                  "tool.poetry.group.dev", "packages", "dependencies", "package"]))
def test_toml_manifests_of_any_shape_raise_only_manifest_error(project: Path, name: str, document: dict, table: str):
    _parse(name, _toml(document, table), project)


def test_the_seeds_parse(project: Path):
    """The mutations start from valid files: the fuzzing explores near real input."""
    for name, text in SEEDS.items():
        KINDS[name].load()(text, name, ParseContext(project))


# -- baseline ------------------------------------------------------------------------------------------
BASELINE_SHAPES = st.one_of(
    st.binary(max_size=200),
    VALUES.map(lambda v: json.dumps(v).encode()),
    st.fixed_dictionaries({"findings": VALUES}).map(lambda v: json.dumps(v).encode()),
    st.integers(1, 50_000).map(lambda n: b"[" * n),
)


@FUZZ
@given(content=BASELINE_SHAPES)
def test_any_baseline_bytes_raise_only_input_error(tmp_path: Path, content: bytes):
    path = tmp_path / "baseline.json"
    path.write_bytes(content)
    try:
        prints = load_baseline(path)
    except InputError:
        return
    assert all(isinstance(p, str) for p in prints)


# -- OSV records -------------------------------------------------------------------------------------------
EVENT = st.dictionaries(st.sampled_from(["introduced", "fixed", "last_affected", "limit", "other"]),
                        st.one_of(st.sampled_from(["0", "1.0.0", "2.0", "v1", "1.0.0-rc.1", "abc", ""]), SCALARS),
                        max_size=2)
RANGE = st.fixed_dictionaries({}, optional={"type": st.sampled_from(["SEMVER", "ECOSYSTEM", "GIT", 5]),
                                            "events": st.one_of(st.lists(EVENT, max_size=4), VALUES)})
AFFECTED = st.fixed_dictionaries({}, optional={
    "package": st.one_of(st.fixed_dictionaries({"ecosystem": st.sampled_from(["PyPI", "npm", "Go", "Maven", 7]),
                                                "name": st.sampled_from(["flask", "lodash", "x"])}), VALUES),
    "ranges": st.one_of(st.lists(RANGE, max_size=3), VALUES),
    "versions": st.one_of(st.lists(st.sampled_from(["1.0.0", "2.0"]), max_size=3), VALUES),
    "severity": VALUES, "database_specific": VALUES, "ecosystem_specific": VALUES,
})
RECORDS = st.fixed_dictionaries({"id": st.one_of(st.just("OSV-1"), SCALARS)}, optional={
    "affected": st.one_of(st.lists(AFFECTED, max_size=3), VALUES), "aliases": VALUES, "summary": VALUES,
    "severity": st.one_of(st.lists(st.fixed_dictionaries({"type": st.just("CVSS_V3"), "score": SCALARS})), VALUES),
    "withdrawn": VALUES, "database_specific": VALUES, "modified": VALUES,
})
QUERIES = st.builds(VulnQuery, st.sampled_from(["pypi", "npm", "go", "maven"]), st.sampled_from(["flask", "lodash", "x"]),
                    st.sampled_from(["1.0.0", "1.5", "2.0.0", "v1.2.3", "not-a-version"]))


@FUZZ
@given(record=RECORDS, query=QUERIES)
def test_osv_records_are_refused_or_matched_without_error(record: dict, query: VulnQuery):
    try:
        slim = trim(record)
    except BadRecord:
        return
    for trust in (True, False):
        answer_from_records(query, [slim], trust_match=trust)


@FUZZ
@given(record=RECORDS)
def test_an_osv_db_of_any_records_raises_only_auditor_error(tmp_path: Path, record: dict):
    from auditor.deps.osv.offline import OfflineDatabase

    db_dir = tmp_path / "db"
    db_dir.mkdir(exist_ok=True)
    (db_dir / "r.json").write_text(json.dumps(record))
    try:
        db = OfflineDatabase(db_dir, tmp_path / "cache")
    except AuditorError:
        return
    try:
        db.lookup([VulnQuery("pypi", "flask", "1.0.0"), VulnQuery("npm", "lodash", "4.17.4")])
    finally:
        db.close()


# -- the one reader ----------------------------------------------------------------------------------------
BOMS = st.sampled_from([b"", b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff", b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff"])


@FUZZ
@given(head=BOMS, body=st.binary(max_size=300))
def test_any_bytes_are_read_as_text_or_refused_with_a_reason(tmp_path: Path, head: bytes, body: bytes):
    from auditor.fsutil import UnreadableFile, read_files, read_text_strict

    path = tmp_path / "f.txt"
    path.write_bytes(head + body)
    try:
        assert isinstance(read_text_strict(path, 1000), str)
    except UnreadableFile as exc:
        assert str(exc)
    skipped: list[tuple[str, str]] = []
    read = list(read_files(tmp_path, ["f.txt"], 1000, skipped=skipped))
    assert len(read) + len(skipped) == 1  # read, or listed as skipped with its reason
