class ReportsController < ApplicationController
  before_action :authenticate_user!

  REPORTS_DIR = Rails.root.join("storage", "reports")

  def download
    path = REPORTS_DIR.join(File.basename(params[:name].to_s)).expand_path
    if path.to_s.start_with?("#{REPORTS_DIR}/") && File.file?(path)
      send_file path, disposition: "attachment"
    else
      head :not_found
    end
  end
end
