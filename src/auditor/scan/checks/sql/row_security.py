"""Row-level security policies that let every row through.

`sql.pattern.open-policy` (broken-access-control, CWE-285/CWE-639): a PostgreSQL / Supabase
`CREATE POLICY` whose condition is the constant `true` (`USING (true)`, `WITH CHECK (true)`).
On a write policy (INSERT, UPDATE, DELETE or ALL) any role the policy is granted to (on
Supabase, every signed-in user or even `anon`) writes any row of the table: reported at the
policy's severity. A read-everything policy (`FOR SELECT USING (true)`) is right for public
data (a catalogue, public profiles) and wrong for a tenant's rows; it is reported low, so
someone confirms the table is meant to be public. Read as text: there is no SQL grammar here.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from auditor.findings import Severity
from auditor.scan.interface import Check, Hit, SourceFile

DETECTOR = "sql.pattern.open-policy"
_POLICY = re.compile(r"(?is)\bcreate\s+policy\b.*?(?:;|\Z)")
_COMMAND = re.compile(r"(?is)\bfor\s+(all|select|insert|update|delete)\b")
_TABLE = re.compile(r"(?is)\bon\s+((?:\"?[\w]+\"?\.)?\"?[\w]+\"?)")
_OPEN = re.compile(r"(?is)\b(using|with\s+check)\s*\(\s*\(?\s*true\s*\)?\s*\)")
_COMMENT = re.compile(r"--[^\n]*|/\*.*?\*/", re.S)


class OpenPolicyCheck(Check):
    languages = frozenset({"sql"})
    detectors = (DETECTOR,)

    def run(self, src: SourceFile) -> Iterable[Hit]:
        if "policy" not in src.text.lower():
            return []
        # comments blanked with spaces, so offsets (and lines) stay those of the file
        body = _COMMENT.sub(lambda m: re.sub(r"[^\n]", " ", m.group(0)), src.text)
        hits: list[Hit] = []
        for policy in _POLICY.finditer(body):
            stmt = policy.group(0)
            opened = _OPEN.search(stmt)
            if opened is None:
                continue
            command = (_COMMAND.search(stmt).group(1) if _COMMAND.search(stmt) else "all").lower()  # type: ignore[union-attr]
            table = _TABLE.search(stmt)
            name = table.group(1) if table else "the table"
            line = src.text.count("\n", 0, policy.start() + opened.start()) + 1
            if command == "select":
                hits.append(Hit(DETECTOR, line, 1, line, f"Policy lets every role it is granted to read all rows of {name} "
                                "(USING (true)): right only for public data; for a user's or a tenant's rows, compare the "
                                "owner column with auth.uid() or a membership table.", severity=Severity.LOW))
            else:
                hits.append(Hit(DETECTOR, line, 1, line, f"Policy lets every role it is granted to {command} any row of {name} "
                                f"({opened.group(1).upper()} (true)): tie the row to the caller, e.g. "
                                "`with check (user_id = auth.uid())`, or to a membership the caller already has."))
        return hits


CHECKS = [OpenPolicyCheck()]
