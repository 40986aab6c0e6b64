"""Rails controller -> view flows (checks/ruby/views.py): the finding sits on the view line
and carries the steps from the params read in the controller."""

from __future__ import annotations

from pathlib import Path

from auditor.scan.engine import Scanner

PROJECT = Path(__file__).parent.parent / "fixtures" / "projects" / "rails-controller-views"


def _findings(twin: str):
    return Scanner(secrets=False, summary_cache=False).scan_tree(PROJECT / twin, jobs=1).findings


def test_ivar_through_a_local_and_a_helper_reaches_the_view_with_a_trace() -> None:
    found = {(f.path, f.line): f for f in _findings("vulnerable")}
    raw = found[("app/views/posts/show.html.erb", 5)]
    assert raw.category == "xss"
    assert [(p, ln) for p, ln, _ in raw.trace] == [("app/controllers/posts_controller.rb", 6),
                                                   ("app/controllers/posts_controller.rb", 7),
                                                   ("app/views/posts/show.html.erb", 5)]
    # a before_action callback sets the ivar before the action
    assert found[("app/views/posts/show.html.erb", 7)].trace[0][:2] == ("app/controllers/posts_controller.rb", 24)
    # link_to with the request URL
    assert found[("app/views/posts/show.html.erb", 9)].rule_id == "rails.xss.link-to-url"
    # `render :results` (HAML) and `render "shared/preview", locals:` (Slim)
    assert found[("app/views/posts/results.html.haml", 3)].trace[0][1] == 17
    assert found[("app/views/shared/preview.html.slim", 3)].trace[-1] == (
        "app/views/shared/preview.html.slim", 3, "body printed unescaped in the view")


def test_escaped_output_of_the_same_ivars_is_clean() -> None:
    assert [f for f in _findings("fixed") if f.category == "xss" and f.severity >= 2] == []


def test_a_view_scanned_without_its_project_has_no_flow() -> None:
    view = PROJECT / "vulnerable" / "app/views/shared/preview.html.slim"
    findings = Scanner(secrets=False, summary_cache=False).scan_source("app/views/shared/preview.html.slim",
                                                                       view.read_text(encoding="utf-8"))
    assert [f for f in findings if f.trace] == []


def test_a_view_scanned_alone_with_its_root_follows_the_controller() -> None:
    """The hook's case: one view's unsaved text, the project root known."""
    root = PROJECT / "vulnerable"
    text = "<div><%= raw @title %></div>\n"
    findings = Scanner(secrets=False, summary_cache=False, root=root).scan_source("app/views/posts/show.html.erb", text)
    assert [(f.line, f.trace[0][:2]) for f in findings if f.trace] == [(1, ("app/controllers/posts_controller.rb", 5))]
