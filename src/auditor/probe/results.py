"""A probe run as the shared result record: each confirmation becomes a `Finding` carrying
the scanner's rule id for the flaw, `confirmed: true`, the endpoint, method, parameter and the
redacted evidence. The path is the handler's file when the code told us the route."""

from __future__ import annotations

from collections import Counter

from auditor.findings import Finding, ScanResult, Severity, Unchecked
from auditor.probe.engine import ProbeRun
from auditor.probe.evidence import evidence
from auditor.probe.rules import rule_for

DEFAULT_CWE = {"sql-injection": "CWE-89", "command-injection": "CWE-78", "code-injection": "CWE-94",
               "xss": "CWE-79", "path-traversal": "CWE-22", "ssrf": "CWE-918", "open-redirect": "CWE-601",
               "nosql-injection": "CWE-943", "cors-misconfiguration": "CWE-942",
               "security-misconfiguration": "CWE-16", "missing-rate-limiting": "CWE-307",
               "weak-authentication": "CWE-347", "broken-access-control": "CWE-639", "mass-assignment": "CWE-915",
               "xpath-injection": "CWE-643", "ldap-injection": "CWE-90"}


def to_result(run: ProbeRun) -> ScanResult:
    from auditor.kb.load import rules_by_id

    rules = rules_by_id()
    findings: list[Finding] = []
    routes = {r.key: r for r in run.routes}
    frameworks = Counter((r.framework, r.language) for r in run.routes if r.framework)
    default_framework, default_language = frameworks.most_common(1)[0][0] if frameworks else ("", "")
    for c in run.confirmations:
        # a site check's point may stand on a route of its own making (a cookie an answer set):
        # the discovered route of that endpoint still says where its code is
        own = c.point.route if c.point is not None else None
        route = own if own is not None and own.file else routes.get((c.method, c.endpoint)) or own
        framework = route.framework if route and route.framework else default_framework
        language = route.language if route and route.language else default_language
        rule = rule_for(rules, c.category, framework, language, c.check)
        severity = Severity.parse(c.severity)
        parameter = c.point.label if c.point is not None else None
        findings.append(Finding(
            rule_id=rule.id if rule else f"probe.{c.check}",
            category=c.category,
            severity=severity,
            cwe=list(rule.cwe) if rule else [DEFAULT_CWE.get(c.category, "CWE-20")],
            path=(route.file if route and route.file else c.endpoint or "/"),
            line=(route.line if route and route.file else 1),
            column=1,
            end_line=(route.line if route and route.file else 1),
            message=c.message,
            snippet=f"{c.method} {c.endpoint}" + (f" [{parameter}]" if parameter else ""),
            extra={"confirmed": True, "endpoint": c.endpoint, "method": c.method, "parameter": parameter,
                   "evidence": evidence(c)},
        ))
    result = ScanResult(findings=findings, files=len({r.file for r in run.routes if r.file}), seconds=run.seconds)
    if run.partial:
        result.unchecked.append(Unchecked(run.base_url, "the rest of the routes", "probe",
                                          "run interrupted" if run.partial == "interrupted" else "request budget spent"))
    return result
