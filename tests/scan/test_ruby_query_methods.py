"""Rails query methods whose SQL exposure depends on the release or on how they are called:
order/reorder/pluck check their arguments from Rails 6.1 (a string that is not a column
name raises), `where`/`select` never do; `send`/`try` with a literal method name run that
method; every column of `select(a, b)` is SQL text; a model's schema names are not data."""

from __future__ import annotations

import pytest

from auditor.scan.engine import Scanner
from auditor.stack.model import StackComponent, SubProject

SCANNER = Scanner(secrets=False, summary_cache=False)

ORDERING = (
    "class ItemsController < ApplicationController\n"
    "  def index\n"
    "    @items = Item.order(params[:sort])\n"
    "    @names = Item.pluck(params[:column])\n"
    "    @rows = Item.where(\"name = '#{params[:q]}'\")\n"
    "    @raw = Item.order(Arel.sql(params[:sort]))\n"
    "  end\n"
    "end\n"
)


def _sql_lines(code: str, rails: str | None = None) -> list[int]:
    project = SubProject(path=".")
    project.add(StackComponent("rails", "framework", version=rails))
    found = SCANNER.scan_source("app/controllers/items_controller.rb", code, project)
    return sorted({f.line for f in found if f.rule_id == "rails.activerecord.sql-injection"})


@pytest.mark.parametrize(("rails", "lines"), [("6.0.3", [3, 4, 5, 6]), ("5.2.4", [3, 4, 5, 6]), (None, [3, 4, 5, 6]),
                                              ("6.1.0", [5, 6]), ("7.1.3", [5, 6])])
def test_order_and_pluck_are_checked_from_rails_6_1(rails: str | None, lines: list[int]) -> None:
    assert _sql_lines(ORDERING, rails) == lines


def test_send_and_try_with_a_literal_name_run_that_method() -> None:
    code = (
        "class ItemsController < ApplicationController\n"
        "  def index\n"
        "    Item.all.try(:where, params[:query])\n"
        "    Item.send(:from, params[:table])\n"
        "    Item.public_send(:where, name: params[:name])\n"
        "    Item.try(:find, params[:id])\n"
        "  end\n"
        "end\n"
    )
    assert _sql_lines(code) == [3, 4]


def test_every_column_of_a_select_list_is_sql() -> None:
    code = (
        "class ItemsController < ApplicationController\n"
        "  def index\n"
        "    Item.select(:name, params[:x])\n"
        "    Item.select(:name, :email)\n"
        "    Item.group(:kind, \"#{params[:g]}\")\n"
        "  end\n"
        "end\n"
    )
    assert _sql_lines(code, "7.0.0") == [3, 5]


def test_schema_names_are_not_data() -> None:
    code = (
        "class Email < ApplicationRecord\n"
        "  scope :by_user, ->(user) { joins(\"JOIN users ON users.id = #{table_name}.user_id\").where(user_id: user.id) }\n"
        "  def self.recent(days)\n"
        "    where(\"#{quoted_table_name}.created_at > now() - interval '#{days} days'\")\n"
        "  end\n"
        "  def self.since(cutoff)\n"
        "    where(\"#{User.table_name}.created_at > ?\", cutoff)\n"
        "  end\n"
        "end\n"
    )
    found = SCANNER.scan_source("app/models/email.rb", code)
    assert sorted(f.line for f in found if f.category == "sql-injection") == [4]
