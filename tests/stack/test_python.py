import pytest
from stack_helpers import by_name, dedent

from auditor.stack.detect import detect_stack
from auditor.stack.ecosystems.base import ManifestError
from auditor.stack.ecosystems.python import (
    parse_pipfile,
    parse_pipfile_lock,
    parse_pyproject,
    parse_python_lock,
    parse_requirements,
    parse_setup_cfg,
)


def test_requirements_lines_pins_markers_hashes_and_includes(tree, ctx):
    tree({
        "requirements/base.txt": """
            # web
            Django==5.0.6  # pinned
            psycopg[binary]>=3.1 ; python_version >= "3.10"
            requests==2.32.3 \\
                --hash=sha256:aaaa \\
                --hash=sha256:bbbb
            -e git+https://github.com/acme/lib.git#egg=acmelib
            https://example.com/pkg.whl
            --index-url https://pypi.org/simple
        """,
        "requirements/dev.txt": """
            -r base.txt
            -c constraints.txt
            pytest
        """,
        "requirements/constraints.txt": "pytest==8.2.0\n",
    })
    text = (ctx.root / "requirements/dev.txt").read_text()
    parsed = parse_requirements(text, "requirements/dev.txt", ctx)
    deps = by_name(parsed.dependencies)
    assert set(deps) == {"Django", "psycopg", "requests", "pytest"}
    assert (deps["Django"].line, deps["Django"].version, deps["Django"].path) == (2, "5.0.6", "requirements/base.txt")
    assert deps["psycopg"].spec == ">=3.1" and deps["psycopg"].version is None
    assert (deps["requests"].line, deps["requests"].version) == (4, "2.32.3")
    assert deps["pytest"].dev and deps["Django"].dev  # everything reached from a dev file is dev
    assert parsed.lock.resolve("pytest", None) == "8.2.0"
    assert parsed.extra_files == ["requirements/base.txt", "requirements/constraints.txt"]


def test_requirements_errors(tree, ctx):
    tree({"requirements.txt": "-r missing.txt\n"})
    with pytest.raises(ManifestError, match="line 1: include missing.txt: cannot read"):
        parse_requirements("-r missing.txt\n", "requirements.txt", ctx)
    with pytest.raises(ManifestError, match="outside the project"):
        parse_requirements("-r ../../etc/passwd\n", "requirements.txt", ctx)
    with pytest.raises(ManifestError, match=r"line 2: not a requirement"):
        parse_requirements("flask\n<<<< merge conflict\n", "requirements.txt", ctx)


def test_include_cycle_terminates(tree, ctx):
    tree({"a.txt": "-r b.txt\nflask\n", "b.txt": "-r a.txt\nrequests\n"})
    parsed = parse_requirements((ctx.root / "a.txt").read_text(), "a.txt", ctx)
    assert {d.name for d in parsed.dependencies} == {"flask", "requests"}


PYPROJECT = dedent('''
    [project]
    name = "svc"
    dependencies = [
        "fastapi>=0.111",
        "SQLAlchemy[asyncio]==2.0.30",
    ]

    [project.optional-dependencies]
    test = ["pytest>=8"]
    s3 = ["boto3"]

    [dependency-groups]
    lint = ["ruff==0.4.4", {include-group = "test"}]

    [tool.uv]
    dev-dependencies = ["mypy>=1.10"]

    [tool.pdm.dev-dependencies]
    docs = ["mkdocs>=1.6"]
''')


def test_pyproject_pep621_groups_uv_pdm(ctx):
    deps = by_name(parse_pyproject(PYPROJECT, "pyproject.toml", ctx).dependencies)
    assert (deps["fastapi"].line, deps["fastapi"].spec, deps["fastapi"].dev) == (4, ">=0.111", False)
    assert (deps["SQLAlchemy"].version, deps["SQLAlchemy"].line) == ("2.0.30", 5)
    assert deps["pytest"].dev and not deps["boto3"].dev  # extras: dev only when named so
    assert deps["ruff"].dev and deps["ruff"].version == "0.4.4" and deps["ruff"].line == 13
    assert deps["mypy"].dev and deps["mkdocs"].dev and deps["mkdocs"].line == 19


POETRY = dedent('''
    [tool.poetry]
    name = "svc"

    [tool.poetry.dependencies]
    python = "^3.11"
    Django = "^5.0"
    djangorestframework = "3.15.1"
    celery = {version = "^5.4", extras = ["redis"]}
    internal = {path = "../internal"}

    [tool.poetry.group.dev.dependencies]
    pytest = "^8.2"

    [tool.poetry.group.main.dependencies]
    gunicorn = "==22.0.0"
''')


def test_pyproject_poetry_tables_and_groups(ctx):
    deps = by_name(parse_pyproject(POETRY, "pyproject.toml", ctx).dependencies)
    assert set(deps) == {"Django", "djangorestframework", "celery", "pytest", "gunicorn"}
    assert (deps["Django"].line, deps["Django"].spec, deps["Django"].version) == (6, "^5.0", None)
    assert deps["djangorestframework"].version == "3.15.1"  # a bare Poetry version pins exactly
    assert deps["celery"].spec == "^5.4" and deps["celery"].line == 8
    assert deps["pytest"].dev and not deps["gunicorn"].dev and deps["gunicorn"].version == "22.0.0"


def test_pyproject_malformed(ctx):
    with pytest.raises(ManifestError, match="invalid TOML"):
        parse_pyproject("[project\nname = 1", "pyproject.toml", ctx)
    with pytest.raises(ManifestError, match="project.dependencies is not a list"):
        parse_pyproject('[project]\ndependencies = "flask"\n', "pyproject.toml", ctx)


def test_pipfile_and_lock(ctx):
    pipfile = dedent('''
        [[source]]
        url = "https://pypi.org/simple"

        [packages]
        flask = "*"
        requests = {version = "==2.32.3", extras = ["socks"]}

        [dev-packages]
        pytest = ">=8"
    ''')
    deps = by_name(parse_pipfile(pipfile, "Pipfile", ctx).dependencies)
    assert (deps["flask"].line, deps["flask"].spec) == (5, None)
    assert deps["requests"].version == "2.32.3" and deps["pytest"].dev
    lock = parse_pipfile_lock(
        '{"_meta": {}, "default": {"flask": {"version": "==3.0.3"}}, "develop": {"pytest": {"version": "==8.2.0"}}}',
        "Pipfile.lock", ctx)
    assert lock.lock.resolve("flask", None) == "3.0.3"
    assert {(d.name, d.dev) for d in lock.dependencies} == {("flask", False), ("pytest", True)}


def test_setup_cfg(ctx):
    text = dedent('''
        [metadata]
        name = lib

        [options]
        install_requires =
            requests>=2.31
            PyYAML==6.0.1

        [options.extras_require]
        test =
            pytest
    ''')
    deps = by_name(parse_setup_cfg(text, "setup.cfg", ctx).dependencies)
    assert (deps["requests"].line, deps["PyYAML"].version, deps["pytest"].dev) == (6, "6.0.1", True)
    assert parse_setup_cfg("[flake8]\nmax-line-length = 100\n", "setup.cfg", ctx).relevant is False


UV_LOCK = dedent('''
    version = 1
    requires-python = ">=3.11"

    [[package]]
    name = "anyio"
    version = "4.4.0"
    source = { registry = "https://pypi.org/simple" }
    dependencies = [
        { name = "idna" },
    ]

    [[package]]
    name = "svc"
    version = "0.1.0"
    source = { editable = "." }

    [[package]]
    name = "fastapi"
    version = "0.111.0"
    source = { registry = "https://pypi.org/simple" }

    [[package]]
    name = "wheelonly"
    version = "1.0.0"
    source = { url = "https://example.com/wheelonly-1.0.0-py3-none-any.whl" }
''')

POETRY_LOCK = dedent('''
    [[package]]
    name = "django"
    version = "5.0.6"
    category = "main"

    [package.dependencies]
    asgiref = ">=3.7.0,<4"

    [[package]]
    name = "internal"
    version = "0.1.0"

    [package.source]
    type = "directory"
    url = "../internal"

    [metadata]
    lock-version = "2.0"
''')


def test_uv_and_poetry_locks(ctx):
    uv = parse_python_lock(UV_LOCK, "uv.lock", ctx)
    assert {(d.name, d.version, d.line) for d in uv.dependencies} == {("anyio", "4.4.0", 5), ("fastapi", "0.111.0", 18)}
    poetry = parse_python_lock(POETRY_LOCK, "poetry.lock", ctx)
    assert [(d.name, d.version) for d in poetry.dependencies] == [("django", "5.0.6")]
    assert poetry.lock.resolve("django", None) == "5.0.6"


def test_lock_versions_match_normalized_names(tree):
    root = tree({"pyproject.toml": '[project]\ndependencies = ["FastAPI>=0.110"]\n', "uv.lock": UV_LOCK})
    project = detect_stack(root).projects[0]
    fastapi = next(d for d in project.dependencies if d.direct)
    assert (fastapi.name, fastapi.version, fastapi.line) == ("FastAPI", "0.111.0", 2)
    assert project.version_of("fastapi") == "0.111.0"
    assert {d.name for d in project.dependencies if not d.direct} == {"anyio"}


def test_requirements_folder_belongs_to_the_project_above(tree):
    root = tree({
        "manage.py": "import django\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'x')\n",
        "requirements/base.txt": "Django==5.0.6\n",
        "requirements/dev.txt": "-r base.txt\npytest==8.2.0\n",
    })
    stack = detect_stack(root)
    assert [p.path for p in stack.projects] == ["."]
    django = [d for d in stack.projects[0].dependencies if d.name == "Django"]
    assert len(django) == 1 and django[0].dev is False  # read alone and via -r: not dev wins
