"""Java / Spring checks beyond the annotated fixtures: config parsing, robustness, the
project-level method-security check and stack-aware refinements."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from auditor.findings import Severity
from auditor.scan.checks.java.config import parse_properties, parse_yaml
from auditor.scan.engine import Scanner
from auditor.stack.model import Dependency, Stack, StackComponent, SubProject

SCANNER = Scanner(secrets=False)


def spring_project(*deps: str) -> SubProject:
    project = SubProject(path=".")
    for cid, kind in (("java", "language"), ("spring-boot", "framework"), ("spring-security", "auth")):
        project.add(StackComponent(cid, kind))
    project.dependencies.extend(Dependency(d, "maven", "pom.xml") for d in deps)
    return project


def test_yaml_flattener_keeps_lines_lists_and_documents():
    text = (
        "spring:\n"
        "  datasource:\n"
        "    password: \"s3cret\"  # inline comment\n"
        "management:\n"
        "  endpoints:\n"
        "    web:\n"
        "      exposure:\n"
        "        include:\n"
        "        - health\n"
        "        - env\n"
        "---\n"
        "server:\n"
        "  error:\n"
        "    include-stacktrace: [always]\n"
    )
    got = [(s.line, s.key, s.value) for s in parse_yaml(text)]
    assert got == [
        (3, "spring.datasource.password", "s3cret"),
        (9, "management.endpoints.web.exposure.include", "health"),
        (10, "management.endpoints.web.exposure.include", "env"),
        (14, "server.error.include-stacktrace", "always"),
    ]


def test_properties_parser_handles_separators_comments_and_continuations():
    text = "# comment\n! also comment\na.b=1\nc.d: two\ne.f three\nlong.value=x\\\n   y\n"
    got = [(s.line, s.key, s.value) for s in parse_properties(text)]
    assert got == [(3, "a.b", "1"), (4, "c.d", "two"), (5, "e.f", "three"), (6, "long.value", "xy")]


def test_relaxed_binding_spellings_are_all_recognised():
    for key in ("server.error.include-stacktrace", "server.error.includeStacktrace", "server.error.include_stacktrace"):
        findings = SCANNER.scan_source("src/main/resources/application.properties", f"{key}=always\n")
        assert [f.rule_id for f in findings] == ["spring.config.error-details"], key


def test_only_spring_config_files_are_read():
    text = "spring.h2.console.enabled=true\n"
    assert SCANNER.scan_source("application.properties", text)
    assert SCANNER.scan_source("bootstrap.properties", text)
    assert not SCANNER.scan_source("messages.properties", text)
    assert not SCANNER.scan_source("docker-compose.yml", "spring:\n  h2:\n    console:\n      enabled: true\n")


def test_dev_profile_settings_are_low_severity():
    findings = SCANNER.scan_source("application-local.properties", "spring.h2.console.enabled=true\n")
    assert [f.severity for f in findings] == [Severity.LOW]
    findings = SCANNER.scan_source("application-prod.properties", "spring.h2.console.enabled=true\n")
    assert [f.severity for f in findings] == [Severity.HIGH]


@pytest.mark.parametrize("text", [
    "",
    "   \n",
    "class Broken { void f( { String s = req.getParameter(\"x\"); jdbc.query(\"a\" + s",
    "@RestController class C { @GetMapping(\"/\") String f(@RequestParam String q) { return \"redirect:\" + ; } }",
    "class Deep { void f() { int x = " + "(" * 3000 + "1" + ")" * 3000 + "; } }",
])
def test_odd_java_never_raises(text):
    SCANNER.scan_source("Odd.java", text)


def test_parameters_of_non_handlers_are_reported_at_reduced_severity():
    text = (
        "@Repository class UserDao {\n"
        "  List<User> byName(String name) { return jdbcTemplate.queryForList(\"select * from u where n = '\" + name + \"'\"); }\n"
        "  List<User> bound(String name) { return jdbcTemplate.queryForList(\"select * from u where n = ?\", name); }\n"
        "  List<User> byId(long id) { return jdbcTemplate.queryForList(\"select * from u where id = \" + id); }\n"
        "}\n"
    )
    sql = [f for f in SCANNER.scan_source("UserDao.java", text) if f.category == "sql-injection"]
    assert [(f.line, f.severity) for f in sql] == [(2, Severity.MEDIUM)]


def test_reassignment_with_a_constant_clears_taint():
    text = (
        "@RestController class C {\n"
        "  @GetMapping(\"/a\") Object a(@RequestParam String sort) {\n"
        "    if (!sort.equals(\"name\")) { sort = \"id\"; }\n"
        "    String col = \"id\";\n"
        "    col = sort;\n"
        "    col = \"created\";\n"
        "    return jdbcTemplate.queryForList(\"select * from t order by \" + col);\n"
        "  }\n"
        "}\n"
    )
    assert not [f for f in SCANNER.scan_source("C.java", text) if f.category == "sql-injection"]


LOGIN = (
    "@RestController class AuthController {\n"
    "  @PostMapping(\"/login\") Token login(@RequestBody LoginRequest body) { return auth.login(body); }\n"
    "}\n"
)


def test_login_rate_limit_defers_to_a_declared_limiter_dependency():
    flagged = SCANNER.scan_source("AuthController.java", LOGIN, project=spring_project())
    assert [f.rule_id for f in flagged] == ["spring.security.login-rate-limit"]
    limited = SCANNER.scan_source("AuthController.java", LOGIN,
                                  project=spring_project("com.bucket4j:bucket4j_jdk17-core"))
    assert not limited


def _git_tree(root: Path, files: dict[str, str]) -> None:
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text, encoding="utf-8")
    subprocess.run(["git", "init", "-q", str(root)], check=True)


CONTROLLER = (
    "@RestController class DocController {\n"
    "  @PreAuthorize(\"hasRole('ADMIN')\")\n"
    "  @DeleteMapping(\"/docs/{id}\") void delete(@PathVariable Long id) { repo.deleteById(id); }\n"
    "}\n"
)


def test_method_security_project_check(tmp_path: Path):
    _git_tree(tmp_path, {"src/DocController.java": CONTROLLER,
                         "src/SecurityConfig.java": "@Configuration @EnableWebSecurity class SecurityConfig {}\n"})
    stack = Stack(root=str(tmp_path), projects=[spring_project()])
    result = Scanner(secrets=False, stack=stack).scan_tree(tmp_path)
    hits = [f for f in result.findings if f.rule_id == "spring.security.method-security"]
    assert [(f.path, f.line) for f in hits] == [("src/DocController.java", 2)]


def test_method_security_enabled_elsewhere_is_clean(tmp_path: Path):
    _git_tree(tmp_path, {"src/DocController.java": CONTROLLER,
                         "src/SecurityConfig.java": "@Configuration @EnableMethodSecurity class SecurityConfig {}\n"})
    stack = Stack(root=str(tmp_path), projects=[spring_project()])
    result = Scanner(secrets=False, stack=stack).scan_tree(tmp_path)
    assert not [f for f in result.findings if f.rule_id == "spring.security.method-security"]
