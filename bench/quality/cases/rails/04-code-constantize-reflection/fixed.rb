class ExportsController < ApplicationController
  before_action :authenticate_user!

  EXPORTERS = {
    "orders" => OrdersExporter,
    "customers" => CustomersExporter,
  }.freeze
  FORMAT_METHODS = %w[to_csv to_xlsx].freeze

  def create
    exporter_class = EXPORTERS.fetch(params[:type]) { return head(:bad_request) }
    format_method = FORMAT_METHODS.include?(params[:format_method]) ? params[:format_method] : "to_csv"
    exporter = exporter_class.new(current_user)
    data = exporter.public_send(format_method)
    send_data data, filename: "#{params[:type]}-export.csv"
  end
end
