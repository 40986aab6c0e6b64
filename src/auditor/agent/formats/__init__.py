"""One module per assistant's hook format; `FORMATS` maps the `auditor hook AGENT` name to it."""

from __future__ import annotations

from auditor.agent.formats.claude import ClaudeFormat
from auditor.agent.formats.cline import ClineFormat
from auditor.agent.formats.codex import CodexFormat
from auditor.agent.formats.cursor import CursorFormat
from auditor.agent.formats.gemini import GeminiFormat
from auditor.agent.formats.interface import HookFormat

FORMATS: dict[str, type[HookFormat]] = {
    cls.agent: cls for cls in (ClaudeFormat, CodexFormat, CursorFormat, GeminiFormat, ClineFormat)
}
