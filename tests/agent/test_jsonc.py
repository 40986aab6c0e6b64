"""Inserting one member into a JSON-with-comments settings file, as text."""

from __future__ import annotations

import pytest

from auditor.agent.settings.jsonc import insert_member, parse_jsonc

SERVER = {"command": "auditor", "args": ["mcp"]}


def test_strings_that_look_like_comments_or_braces_are_left_alone():
    text = ('{\n  "note": "see http://example.test/{x} // not a comment \\" /* nor this */",\n'
            '  "mcpServers": { /* mine */ "docs": {"command": "d"} }\n}\n')
    out = insert_member(text, "mcpServers", "auditor", SERVER)
    data = parse_jsonc(out)
    assert data["note"] == 'see http://example.test/{x} // not a comment " /* nor this */'
    assert data["mcpServers"] == {"auditor": SERVER, "docs": {"command": "d"}}
    assert "/* mine */" in out


def test_nested_keys_of_the_same_name_are_not_the_target():
    text = '{\n  "profiles": {"mcpServers": {}},\n  "x": 1 // end\n}\n'
    out = insert_member(text, "mcpServers", "auditor", SERVER)
    data = parse_jsonc(out)
    assert data["profiles"] == {"mcpServers": {}} and data["mcpServers"] == {"auditor": SERVER} and data["x"] == 1


def test_a_file_that_is_no_object_is_refused():
    with pytest.raises(ValueError):
        insert_member("[1, 2] // list\n", "mcpServers", "auditor", SERVER)
