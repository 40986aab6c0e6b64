"""One self-contained HTML report (inline CSS, no scripts, no external assets) for a probe's
findings: what was confirmed, where, and the evidence (request sent, status, response excerpt
with the canary marked). Every value is escaped."""

from __future__ import annotations

from html import escape

from auditor import __version__
from auditor.findings import Finding, ScanResult

_CSS = """body{font:14px/1.45 system-ui,sans-serif;margin:2em auto;max-width:980px;color:#222}
h1{font-size:1.4em}table{border-collapse:collapse;width:100%}td,th{border-bottom:1px solid #ddd;padding:4px 6px;text-align:left}
.critical{color:#a00;font-weight:bold}.high{color:#c33}.medium{color:#b60}.low{color:#06c}
pre{background:#f6f6f6;padding:8px;overflow-x:auto;white-space:pre-wrap;word-break:break-all}
mark{background:#ffe066}section{border:1px solid #ddd;border-radius:6px;padding:8px 14px;margin:14px 0}"""


def _excerpt(text: str) -> str:
    """Escape, then turn the >>>canary<<< marks into <mark>."""
    return escape(text).replace("&gt;&gt;&gt;", "<mark>").replace("&lt;&lt;&lt;", "</mark>")


def _section(f: Finding) -> str:
    ev = f.extra.get("evidence") or {}
    return (f"<section><h3><span class='{f.severity.label}'>{escape(f.severity.label)}</span> "
            f"{escape(f.extra.get('method') or '')} {escape(f.extra.get('endpoint') or '')} "
            f"&middot; {escape(f.rule_id)}</h3>"
            f"<p>{escape(f.message)}</p>"
            f"<p>parameter: <code>{escape(str(f.extra.get('parameter') or '-'))}</code> &middot; "
            f"category: {escape(f.category)} &middot; {escape(', '.join(f.cwe))} &middot; "
            f"code: {escape(f.path)}:{f.line}</p>"
            f"<p>request sent:</p><pre>{escape(str(ev.get('request', '')))}</pre>"
            f"<p>status {escape(str(ev.get('status', '')))}, canary <code>{escape(str(ev.get('canary', '')))}</code>:</p>"
            f"<pre>{_excerpt(str(ev.get('response_excerpt', '')))}</pre></section>")


def _sent(requests: list[tuple[str, str, int]], limit: int = 3000) -> str:
    rows = "".join(f"<tr><td>{escape(m)}</td><td>{escape(u)}</td><td>{s}</td></tr>" for m, u, s in requests[:limit])
    more = f"<p>... and {len(requests) - limit} more.</p>" if len(requests) > limit else ""
    return (f"<details><summary>Every request sent ({len(requests)})</summary><table><tr><th>method</th>"
            f"<th>URL</th><th>status</th></tr>{rows}</table>{more}</details>")


def render_html(result: ScanResult, target: str, requests: list[tuple[str, str, int]], partial: str = "") -> str:
    findings = sorted(result.active, key=lambda f: (-f.severity, f.extra.get("endpoint") or "", f.rule_id))
    rows = "".join(
        f"<tr><td class='{f.severity.label}'>{escape(f.severity.label)}</td><td>{escape(f.category)}</td>"
        f"<td>{escape(f.extra.get('method') or '')} {escape(f.extra.get('endpoint') or '')}</td>"
        f"<td>{escape(str(f.extra.get('parameter') or ''))}</td></tr>" for f in findings)
    note = f"<p><b>Stopped early ({escape(partial)}):</b> the routes not yet probed were not tested.</p>" if partial else ""
    return (f"<!doctype html><html><head><meta charset='utf-8'><title>auditor probe: {escape(target)}</title>"
            f"<style>{_CSS}</style></head><body><h1>auditor probe of {escape(target)}</h1>"
            f"<p>{len(findings)} confirmed findings &middot; {len(requests)} requests &middot; "
            f"{result.seconds:.1f} s &middot; auditor {escape(__version__)}</p>{note}"
            f"<table><tr><th>severity</th><th>category</th><th>endpoint</th><th>parameter</th></tr>{rows}</table>"
            + "".join(_section(f) for f in findings) + _sent(requests) + "</body></html>\n")
