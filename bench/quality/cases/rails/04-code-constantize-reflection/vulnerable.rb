class ExportsController < ApplicationController
  before_action :authenticate_user!

  def create
    exporter_class = "#{params[:type].camelize}Exporter".constantize
    exporter = exporter_class.new(current_user)
    data = exporter.public_send(params[:format_method] || "to_csv")
    send_data data, filename: "#{params[:type]}-export.csv"
  end
end
