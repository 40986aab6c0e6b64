class ThumbnailsController < ApplicationController
  UPLOAD_DIR = Rails.root.join("storage", "uploads")

  def create
    source = UPLOAD_DIR.join(params[:filename]).to_s
    size = params[:size] || "200x200"
    target = source.sub(/(\.\w+)\z/, "_thumb\\1")
    ok = system("convert #{source} -resize #{size} #{target}")
    if ok
      render json: { thumbnail: File.basename(target) }, status: :created
    else
      render json: { error: "conversion failed" }, status: :unprocessable_entity
    end
  end
end
