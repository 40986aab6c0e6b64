import pytest
from stack_helpers import by_name

from auditor.stack.detect import detect_stack
from auditor.stack.ecosystems.base import ManifestError
from auditor.stack.ecosystems.go import parse_go_mod

GO_MOD = (
    "module github.com/acme/api\n"
    "\n"
    "go 1.22\n"
    "\n"
    "toolchain go1.22.3\n"
    "\n"
    "require github.com/labstack/echo/v4 v4.12.0\n"
    "\n"
    "require (\n"
    "\tgithub.com/golang-jwt/jwt/v5 v5.2.1\n"
    "\tgithub.com/jackc/pgx/v5 v5.6.0\n"
    "\tgolang.org/x/crypto v0.23.0 // indirect\n"
    ")\n"
    "\n"
    "replace github.com/acme/lib => ../lib\n"
)


def test_go_mod_requires_indirect_and_lines(ctx):
    deps = by_name(parse_go_mod(GO_MOD, "go.mod", ctx).dependencies)
    assert (deps["github.com/labstack/echo/v4"].line, deps["github.com/labstack/echo/v4"].version) == (7, "v4.12.0")
    assert deps["github.com/jackc/pgx/v5"].line == 11 and deps["github.com/jackc/pgx/v5"].direct
    assert not deps["golang.org/x/crypto"].direct


def test_go_mod_malformed(ctx):
    with pytest.raises(ManifestError, match="no module directive"):
        parse_go_mod("go 1.22\n", "go.mod", ctx)
    with pytest.raises(ManifestError, match="unknown directive on line 3"):
        parse_go_mod("module x\n\nfrobnicate y\n", "go.mod", ctx)
    with pytest.raises(ManifestError, match="bad require on line 4"):
        parse_go_mod("module x\n\nrequire (\n\tgithub.com/a\n)\n", "go.mod", ctx)


def test_go_frameworks_and_net_http(tree):
    root = tree({
        "api/go.mod": GO_MOD,
        "worker/go.mod": "module github.com/acme/worker\n\ngo 1.22\n",
        "worker/main.go": 'package main\n\nimport "fmt"\n\nfunc main() { fmt.Println("hi") }\n',
    })
    stack = detect_stack(root)
    api = next(p for p in stack.projects if p.path == "api")
    assert api.frameworks == {"echo"} and api.version_of("echo") == "4.12.0"
    assert {"database-sql", "golang-jwt"} <= api.ids()
    assert "net-http" not in api.ids()  # a web framework and no file importing net/http
    worker = next(p for p in stack.projects if p.path == "worker")
    assert "net-http" in worker.ids()  # no web framework: net/http it is
