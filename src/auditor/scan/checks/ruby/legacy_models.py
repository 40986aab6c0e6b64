"""Mass assignment before strong parameters (Rails 2 and 3).

Until Rails 4, `Model.new(params[:model])` set every attribute the hash named unless the model
declared a whitelist (`attr_accessible`) or a blacklist (`attr_protected`), or the app turned
on `config.active_record.whitelist_attributes`. So on those releases an ActiveRecord model with
none of these is open to mass assignment, and a model that has a whitelist (or includes
`ActiveModel::ForbiddenAttributesProtection`, the strong-parameters backport) is not.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from auditor.findings import Severity
from auditor.scan.interface import Check, Hit, SourceFile

AR_MODEL = re.compile(r"^class\s+(\w+(?:::\w+)*)\s*<\s*(?:::)?ActiveRecord::Base\b", re.M)
# Declarations that limit what a params hash can set on the model.
PROTECTED = re.compile(r"^\s*(?:attr_accessible|attr_protected)\b|\binclude\s+ActiveModel::ForbiddenAttributesProtection\b", re.M)
WHITELIST = re.compile(r"^\s*(?:attr_accessible)\b|\binclude\s+ActiveModel::ForbiddenAttributesProtection\b", re.M)
APP_WHITELIST = re.compile(r"^\s*config\.active_record\.whitelist_attributes\s*=\s*true\b", re.M)


def rails_major(src: SourceFile) -> int | None:
    """The major Rails release of the file's project, when the stack knows it."""
    project = src.project
    for c in project.components if project is not None else ():
        if c.id == "rails" and c.version:
            m = re.match(r"\D*(\d+)", c.version)
            return int(m.group(1)) if m else None
    return None


def _app_whitelists(src: SourceFile) -> bool:
    index = src.index
    app = index.source("config/application.rb") if index is not None else None
    return app is not None and APP_WHITELIST.search(app.text) is not None


def model_whitelisted(src: SourceFile, const: str) -> bool:
    """Does the project's model `const` (found through the index) allow only listed attributes?"""
    index = src.index
    if index is None or not const[:1].isupper():
        return False
    rel = index.resolve_ruby_constant(src.path, const)
    model = index.source(rel) if rel else None
    return model is not None and WHITELIST.search(model.text) is not None


class LegacyMassAssignmentCheck(Check):
    languages = frozenset({"ruby"})
    detectors = ("rb.pattern.mass-assignment",)

    def run(self, src: SourceFile) -> Iterable[Hit]:
        if "ActiveRecord::Base" not in src.text or not f"/{src.path}".count("/app/models/"):
            return []
        major = rails_major(src)
        if major is None or major >= 4 or PROTECTED.search(src.text) or _app_whitelists(src):
            return []
        return [Hit("rb.pattern.mass-assignment", src.text.count("\n", 0, m.start()) + 1, 1, 0,
                    f"Model {m.group(1)} declares no attr_accessible: on Rails {major} `new(params[...])` sets every "
                    "column (admin flags, foreign keys); whitelist the form fields", severity=Severity.MEDIUM)
                for m in AR_MODEL.finditer(src.text)]


CHECKS = [LegacyMassAssignmentCheck()]
