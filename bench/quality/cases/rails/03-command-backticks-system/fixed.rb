class ThumbnailsController < ApplicationController
  UPLOAD_DIR = Rails.root.join("storage", "uploads")
  SIZE_FORMAT = /\A\d{1,4}x\d{1,4}\z/

  def create
    source = UPLOAD_DIR.join(File.basename(params[:filename].to_s)).to_s
    size = params[:size].to_s.match?(SIZE_FORMAT) ? params[:size] : "200x200"
    target = source.sub(/(\.\w+)\z/, "_thumb\\1")
    ok = system("convert", source, "-resize", size, target)
    if ok
      render json: { thumbnail: File.basename(target) }, status: :created
    else
      render json: { error: "conversion failed" }, status: :unprocessable_entity
    end
  end
end
