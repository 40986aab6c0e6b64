"""The MCP server, in-process through the SDK's Client: list the tools, call each one."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from deps.fake_services import FakeServices
from mcp import Client

from auditor.agent.mcp_server import build_server
from auditor.deps.config import DepsConfig

from .conftest import APP, BAD_QUERY, SAFE_QUERY

TOOLS = {"scan_code", "get_rules", "explain_rule", "check_packages", "find_secrets"}
FINDING_KEYS = {"rule_id", "category", "severity", "cwe", "path", "line", "column", "end_line", "message",
                "fingerprint", "snippet"}


@pytest.fixture
def registry():
    fake = FakeServices()
    server = fake.start()
    yield fake
    server.shutdown()
    server.server_close()


def call(root: Path, name: str, arguments: dict, config: DepsConfig | None = None):
    async def go():
        async with Client(build_server(root, config)) as client:
            return await client.call_tool(name, arguments)

    return asyncio.run(go())


def test_lists_five_read_only_typed_tools(project: Path):
    async def go():
        async with Client(build_server(project)) as client:
            return (await client.list_tools()).tools

    tools = {t.name: t for t in asyncio.run(go())}
    assert set(tools) == TOOLS
    for tool in tools.values():
        assert tool.annotations.read_only_hint is True and tool.annotations.destructive_hint is False
        assert tool.output_schema is not None and tool.description
    assert tools["check_packages"].annotations.open_world_hint is True
    assert tools["scan_code"].input_schema["required"] == ["path"]
    assert set(tools["scan_code"].output_schema["properties"]) == {"version", "findings", "stats"}


def test_scan_code_scans_unsaved_content_as_that_file(project: Path):
    result = call(project, "scan_code", {"path": "app.py", "content": APP.replace(SAFE_QUERY, BAD_QUERY)})
    assert not result.is_error
    data = result.structured_content
    assert set(data) == {"version", "findings", "stats"} and data["stats"]["files"] == 1
    sql = [f for f in data["findings"] if f["rule_id"] == "flask.sql.parameterize"]
    assert len(sql) == 1 and FINDING_KEYS <= set(sql[0]) and sql[0]["line"] == 11 and sql[0]["path"] == "app.py"
    # The saved file is clean; nothing was written by the call.
    saved = call(project, "scan_code", {"path": "app.py"}).structured_content
    assert not [f for f in saved["findings"] if f["category"] == "sql-injection"]
    assert (project / "app.py").read_text() == APP


def test_scan_code_refuses_paths_outside_the_project(project: Path):
    result = call(project, "scan_code", {"path": "../../etc/passwd"})
    assert result.is_error and "outside the project" in result.content[0].text


def test_get_rules_ranks_the_projects_rules_for_that_file(project: Path):
    data = call(project, "get_rules", {"path": "app.py"}).structured_content
    ids = [r["id"] for r in data["rules"]]
    assert ids[0].startswith("flask.") and "flask.sql.parameterize" in ids
    assert not [i for i in ids if i.startswith(("express.", "django.", "spring."))]
    assert "flask" in data["stack"]
    rule = data["rules"][ids.index("flask.sql.parameterize")]
    assert rule["guidance"] and rule["examples"][0]["good"]


def test_explain_rule(project: Path):
    data = call(project, "explain_rule", {"rule_id": "flask.sql.parameterize"}).structured_content
    assert data["id"] == "flask.sql.parameterize" and data["category"] == "sql-injection" and "CWE-89" in data["cwe"]
    missing = call(project, "explain_rule", {"rule_id": "flask.sql"})
    assert missing.is_error and "did you mean" in missing.content[0].text


def test_find_secrets_in_content_is_redacted(project: Path):
    key = "ghp_" + "R8s2Kq9Xv4Lm7Np3Tz6Wb1Yc5Hd0Jf2Ga8Ue"
    result = call(project, "find_secrets", {"content": f'GITHUB_TOKEN = "{key}"\n'})
    data = result.structured_content
    assert not result.is_error and data["findings"], data
    assert data["findings"][0]["category"] == "hardcoded-secret" and "secret_type" in data["findings"][0]
    assert key not in str(data)
    assert call(project, "find_secrets", {}).is_error


def test_check_packages_against_a_local_registry(project: Path, registry: FakeServices, tmp_path: Path):
    registry.pypi("requests", {"2.19.0": "2018-06-14T14:00:00Z", "2.32.3": "2026-05-29T15:00:00Z"})
    registry.osv({"id": "GHSA-x84v-xcm2-53pg", "summary": "requests leaks Proxy-Authorization", "modified": "2024-01-01T00:00:00Z",
                  "affected": [{"package": {"ecosystem": "PyPI", "name": "requests"},
                                "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "2.20.0"}]}]}]},
                 [("PyPI", "requests", "2.19.0")])
    config = DepsConfig.from_env(registry.environ(str(tmp_path / "cache")))
    result = call(project, "check_packages", {"ecosystem": "pypi", "names": ["requests==2.19.0", "reqeusts"]}, config)
    assert not result.is_error, result.content
    data = result.structured_content
    by_name = {p["name"]: p for p in data["packages"]}
    assert by_name["requests"]["exists"] is True and by_name["requests"]["advisories"] == ["GHSA-x84v-xcm2-53pg"]
    assert by_name["reqeusts"]["exists"] is False and by_name["reqeusts"]["advisories"] is None
    assert {f["rule_id"] for f in data["findings"]} >= {"deps.package.hallucinated", "deps.package.vulnerable"}
    assert all(service in ("pypi", "osv") for _, service, _ in registry.requests)
    bad = call(project, "check_packages", {"ecosystem": "cpan", "names": ["x"]}, config)
    assert bad.is_error and "unknown ecosystem" in bad.content[0].text


def test_auditor_mcp_serves_over_stdio(project: Path):
    """The real command, as an assistant starts it: a subprocess speaking MCP on stdio."""
    import sys

    from mcp import StdioServerParameters

    params = StdioServerParameters(command=sys.executable, args=["-m", "auditor", "mcp", str(project)],
                                   env={"AUDITOR_CACHE_DIR": str(project.parent / "cache"), "PATH": "/usr/bin:/bin"})

    async def go():
        async with Client(params, read_timeout_seconds=120) as client:
            tools = {t.name for t in (await client.list_tools()).tools}
            result = await client.call_tool("explain_rule", {"rule_id": "flask.sql.parameterize"})
            return tools, result

    tools, result = asyncio.run(go())
    assert tools == TOOLS and result.structured_content["id"] == "flask.sql.parameterize"
