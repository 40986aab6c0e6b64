class ReportsController < ApplicationController
  before_action :authenticate_user!

  REPORTS_DIR = Rails.root.join("storage", "reports")

  def download
    path = REPORTS_DIR.join(params[:name])
    if File.exist?(path)
      send_file path, disposition: "attachment"
    else
      head :not_found
    end
  end
end
