"""<script> blocks of Vue/Svelte components are scanned as JS/TS at the component's lines."""

from __future__ import annotations

from auditor.scan.embedded import script_blocks
from auditor.scan.engine import Scanner
from auditor.scan.interface import SourceFile

COMPONENT = """<!-- a comment naming <script lang="ts"> is no block -->
<template><p>{{ x }}</p></template>
<script src="./external.js"></script>
<script lang="coffee">
eval userCode
</script>
<script setup lang="ts">
const token: string = Math.random().toString(36);
</script>
"""


def test_blocks_keep_the_component_lines_and_languages() -> None:
    blocks = script_blocks(SourceFile("C.vue", COMPONENT, "vue"))
    assert [b.language for b in blocks] == ["typescript"]
    assert blocks[0].text.splitlines()[7] == COMPONENT.splitlines()[7]
    assert len(blocks[0].text) == len(COMPONENT) and "<template>" not in blocks[0].text


def test_findings_in_a_script_block_point_at_the_component_line() -> None:
    findings = Scanner(secrets=False, summary_cache=False).scan_source("src/C.vue", COMPONENT)
    assert [(f.rule_id, f.line, f.path) for f in findings] == [("js.crypto.secure-random", 8, "src/C.vue")]
    svelte = COMPONENT.replace('<script setup lang="ts">', "<script>").replace(": string", "")
    assert [f.line for f in Scanner(secrets=False, summary_cache=False).scan_source("C.svelte", svelte)] == [8]
