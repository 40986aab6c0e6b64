# app/services/report_pdf_exporter.rb + controller action
require "open3"

class ReportPdfExporter
  Result = Struct.new(:path, :ok, keyword_init: true)

  def initialize(report, title:)
    @report = report
    @title = title
  end

  def call
    html_path = Rails.root.join("tmp", "reports", "#{@report.id}.html")
    pdf_path = Rails.root.join("tmp", "reports", "#{@report.id}.pdf")
    File.write(html_path, ApplicationController.render(template: "reports/show", assigns: { report: @report }))

    output, status = Open3.capture2e(
      "wkhtmltopdf", "--title", @title.to_s, "--quiet", "--", html_path.to_s, pdf_path.to_s
    )
    Result.new(path: pdf_path, ok: status.success? && output.blank?)
  end
end

class ReportsController < ApplicationController
  before_action :authenticate_user!

  def export
    report = current_user.reports.find(params[:id])
    result = ReportPdfExporter.new(report, title: params[:title].presence || report.name).call
    if result.ok
      send_file result.path, type: "application/pdf", disposition: "attachment"
    else
      redirect_to report_path(report), alert: "Export failed"
    end
  end
end
