"""Ruby values the program makes itself carry no taint, at any severity: the value of an
if/else expression whose branches are literals (the test is not the value), and the block
parameters of calls that yield a temp file or directory. Their request-fed twins are reported."""

from __future__ import annotations

from auditor.scan.engine import Scanner

SCANNER = Scanner(secrets=False, summary_cache=False)


def _commands(code: str) -> list[int]:
    return [f.line for f in SCANNER.scan_source("app/controllers/jobs_controller.rb", code)
            if f.category == "command-injection"]


def test_if_expression_of_literals_is_not_a_dynamic_command() -> None:
    code = (
        "class JobsController < ApplicationController\n"
        "  def run\n"
        "    flag = if admin? then \"-a\" elsif params[:all] then \"-b\" else :none end\n"
        "    system \"ls #{flag}\"\n"
        "  end\n"
        "end\n"
    )
    assert _commands(code) == []


def test_if_expression_with_a_request_branch_is_reported() -> None:
    code = (
        "class JobsController < ApplicationController\n"
        "  def run\n"
        "    dir = if admin? then params[:dir] else \"/tmp\" end\n"
        "    system \"ls #{dir}\"\n"
        "  end\n"
        "end\n"
    )
    assert _commands(code) == [4]


def test_temp_file_block_parameter_is_program_made() -> None:
    code = (
        "class Exporter\n"
        "  def run\n"
        "    Tempfile.open(\"export\") do |file|\n"
        "      `gzip #{file.path}`\n"
        "    end\n"
        "    Dir.mktmpdir { |dir| system \"tar xf archive.tar -C #{dir}\" }\n"
        "  end\n"
        "end\n"
    )
    assert _commands(code) == []


def test_other_block_parameters_stay_dynamic() -> None:
    code = (
        "class JobsController < ApplicationController\n"
        "  def run\n"
        "    params[:files].each do |name|\n"
        "      `gzip #{name}`\n"
        "    end\n"
        "  end\n"
        "end\n"
    )
    assert _commands(code) == [4]
