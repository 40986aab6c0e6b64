"""One self-contained HTML report (inline CSS and SVG, no script, no external resource):
vulnerable / functional / correct-and-secure rates per model and condition with 95% interval
bars, the relative reductions with their intervals, a category x condition heat map per
model, the framework breakdown and the judges' agreement."""

from __future__ import annotations

from collections import defaultdict
from html import escape
from typing import Any

COLORS = {"none": "#8c8c8c", "generic": "#c9a227", "auditor": "#2b7a3d", "placebo": "#6c7fb0", "oracle": "#8e44ad"}
CSS = """
body{font:14px/1.45 system-ui,-apple-system,Segoe UI,sans-serif;margin:2rem auto;max-width:1100px;color:#222;padding:0 1rem}
h1{font-size:1.6rem}h2{font-size:1.2rem;margin-top:2rem;border-bottom:1px solid #ddd}
table{border-collapse:collapse;margin:.5rem 0}td,th{padding:.25rem .6rem;border-bottom:1px solid #eee;text-align:right}
th:first-child,td:first-child{text-align:left}.note{color:#555;font-size:.9rem}.banner{background:#fff3cd;
border:1px solid #e0c060;padding:.6rem 1rem;margin:1rem 0}svg text{font:12px system-ui,sans-serif}
"""


def _pct(x: float | None) -> str:
    return "–" if x is None else f"{100 * x:.1f}%"


def _rate_chart(runs: list[dict[str, Any]], field: str, ci_field: str | None, title: str) -> str:
    """Horizontal bars, one per model x condition, with an interval whisker when given."""
    row_h, left, width = 22, 260, 520
    height = row_h * len(runs) + 40
    out = [f'<svg role="img" aria-label="{escape(title)}" width="{left + width + 80}" height="{height}" '
           f'xmlns="http://www.w3.org/2000/svg">']
    for tick in range(0, 101, 25):
        x = left + width * tick / 100
        out.append(f'<line x1="{x}" y1="10" x2="{x}" y2="{height - 25}" stroke="#ddd"/>'
                   f'<text x="{x}" y="{height - 8}" text-anchor="middle">{tick}%</text>')
    for i, r in enumerate(runs):
        y = 12 + i * row_h
        value = r.get(field)
        label = f"{r['model']} · {r['condition']}"
        out.append(f'<text x="{left - 8}" y="{y + 13}" text-anchor="end">{escape(label)}</text>')
        if value is None:
            out.append(f'<text x="{left + 4}" y="{y + 13}" fill="#888">no data</text>')
            continue
        color = COLORS.get(r["condition"], "#555")
        out.append(f'<rect x="{left}" y="{y + 2}" width="{width * value:.1f}" height="{row_h - 8}" fill="{color}">'
                   f'<title>{escape(label)}: {_pct(value)}</title></rect>')
        ci = r.get(ci_field) if ci_field else None
        if ci and ci[0] is not None:
            x1, x2, ym = left + width * ci[0], left + width * ci[1], y + row_h / 2 - 2
            out.append(f'<line x1="{x1:.1f}" y1="{ym}" x2="{x2:.1f}" y2="{ym}" stroke="#000" stroke-width="1.5"/>'
                       f'<line x1="{x1:.1f}" y1="{ym - 5}" x2="{x1:.1f}" y2="{ym + 5}" stroke="#000"/>'
                       f'<line x1="{x2:.1f}" y1="{ym - 5}" x2="{x2:.1f}" y2="{ym + 5}" stroke="#000"/>')
        out.append(f'<text x="{left + width + 8}" y="{y + 13}">{_pct(value)}</text>')
    out.append("</svg>")
    return "".join(out)


def _heat_color(rate: float) -> str:
    """White (0%) to red (100%)."""
    g = int(245 - 180 * rate)
    return f"rgb(245,{g},{g})"


def _heatmap(cells: list[dict[str, Any]], model: str) -> str:
    rows = sorted({c["category"] for c in cells if c["model"] == model})
    order = [k for k in COLORS if any(c["condition"] == k and c["model"] == model for c in cells)]
    value = {(c["category"], c["condition"]): c for c in cells if c["model"] == model}
    cw, ch, left = 90, 24, 200
    out = [f'<svg role="img" aria-label="vulnerable rate by category and condition for {escape(model)}" '
           f'width="{left + cw * len(order) + 10}" height="{ch * (len(rows) + 1) + 10}" '
           f'xmlns="http://www.w3.org/2000/svg">']
    for j, cond in enumerate(order):
        out.append(f'<text x="{left + j * cw + cw / 2}" y="16" text-anchor="middle">{escape(cond)}</text>')
    for i, cat in enumerate(rows):
        y = ch * (i + 1)
        out.append(f'<text x="{left - 8}" y="{y + 16}" text-anchor="end">{escape(cat)}</text>')
        for j, cond in enumerate(order):
            cell = value.get((cat, cond))
            if cell is None:
                continue
            rate = cell["vulnerable_rate"] or 0.0
            out.append(f'<rect x="{left + j * cw}" y="{y}" width="{cw - 2}" height="{ch - 2}" fill="{_heat_color(rate)}">'
                       f'<title>{escape(cat)} · {escape(cond)}: {_pct(rate)} of {cell["samples"]}</title></rect>'
                       f'<text x="{left + j * cw + cw / 2}" y="{y + 16}" text-anchor="middle">{_pct(rate)}</text>')
    out.append("</svg>")
    return "".join(out)


def _table(headers: list[str], rows: list[list[str]]) -> str:
    head = "".join(f"<th>{escape(h)}</th>" for h in headers)
    body = "".join("<tr>" + "".join(f"<td>{escape(c)}</td>" for c in row) + "</tr>" for row in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _ci(ci: list[float | None]) -> str:
    return "–" if not ci or ci[0] is None else f"{_pct(ci[0])} to {_pct(ci[1])}"


def render_html(summary: dict[str, Any], title: str = "auditor bench report", banner: str | None = None) -> str:
    runs = summary["runs"]
    tests = {(t["model"], t["condition"]): t for t in summary.get("paired_tests", [])}
    parts = [f"<!doctype html><html lang=en><head><meta charset=utf-8><title>{escape(title)}</title>"
             f"<style>{CSS}</style></head><body><h1>{escape(title)}</h1>"]
    if banner:
        parts.append(f'<div class="banner">{escape(banner)}</div>')
    usage = summary.get("usage") or {}
    boot = summary.get("bootstrap", {})
    parts.append(f'<p class="note">auditor {escape(str(summary.get("version", "")))} · '
                 f'{usage.get("requests", 0)} generations · {usage.get("input_tokens", 0)} input and '
                 f'{usage.get("output_tokens", 0)} output tokens · cost ${usage.get("cost", 0):.4f} · '
                 f'intervals: {boot.get("resamples")} bootstrap resamples clustered by task, seed {boot.get("seed")}</p>')
    parts.append("<h2>Vulnerable rate (95% interval)</h2>" + _rate_chart(runs, "vulnerable_rate", "vulnerable_ci",
                                                                          "vulnerable rate"))
    parts.append("<h2>Functional pass rate</h2><p class=note>Over samples whose task has a functional check "
                 "that could run here.</p>" + _rate_chart(runs, "functional_pass_rate", None, "functional pass rate"))
    parts.append("<h2>Correct and secure</h2>" + _rate_chart(runs, "correct_and_secure_rate", None,
                                                             "correct and secure rate"))
    parts.append("<h2>Runs</h2>" + _table(
        ["model", "condition", "samples", "vulnerable", "95% CI", "functional", "correct+secure"],
        [[r["model"], r["condition"], str(r["samples"]), _pct(r["vulnerable_rate"]), _ci(r["vulnerable_ci"]),
          _pct(r["functional_pass_rate"]), _pct(r["correct_and_secure_rate"])] for r in runs]))
    if summary["comparisons"]:
        rows = []
        for c in summary["comparisons"]:
            t = tests.get((c["model"], c["condition"]), {})
            rows.append([c["model"], f"{c['condition']} vs {c['baseline']}", _pct(c["relative_reduction"]), _ci(c["ci"]),
                         f"{t.get('improved', '–')} / {t.get('worsened', '–')}",
                         f"{t['p_value']:.3g}" if "p_value" in t else "–"])
        parts.append("<h2>Relative reduction of the vulnerable rate</h2>" + _table(
            ["model", "comparison", "reduction", "95% CI", "tasks better / worse", "sign test p"], rows))
    by_model: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for cell in summary.get("by_category", []):
        by_model[cell["model"]].append(cell)
    for model, cells in sorted(by_model.items()):
        parts.append(f"<h2>Vulnerable rate by category and condition: {escape(model)}</h2>" + _heatmap(cells, model))
    if summary.get("by_framework"):
        parts.append("<h2>By framework</h2>" + _table(
            ["model", "condition", "framework", "samples", "vulnerable"],
            [[c["model"], c["condition"], c["framework"], str(c["samples"]), _pct(c["vulnerable_rate"])]
             for c in summary["by_framework"]]))
    judges = summary.get("judges", {})
    if judges.get("rates"):
        parts.append("<h2>Judges</h2><p class=note>auditor judges its own rules, so peers are shown when installed; "
                     "the headline figures use auditor's verdict.</p>" + _table(
                         ["judge", "samples", "vulnerable"],
                         [[n, str(v["samples"]), _pct(v["vulnerable_rate"])] for n, v in judges["rates"].items()]))
        if judges.get("agreement"):
            parts.append(_table(["judges", "samples", "agreement", "Cohen's kappa"],
                                [[f"{a['a']} / {a['b']}", str(a["samples"]), _pct(a["agreement"]),
                                  "–" if a["kappa"] is None else f"{a['kappa']:.2f}"] for a in judges["agreement"]]))
        else:
            parts.append("<p class=note>No peer analyzer (Semgrep, Bandit) was installed: no agreement figures.</p>")
    parts.append("</body></html>\n")
    return "".join(parts)
