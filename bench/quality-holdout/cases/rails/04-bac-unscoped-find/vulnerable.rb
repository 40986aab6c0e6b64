class DocumentsController < ApplicationController
  before_action :authenticate_user!
  before_action :set_document, only: %i[show edit update destroy]

  def index
    @documents = current_user.documents.order(updated_at: :desc)
  end

  def show; end

  def edit; end

  def update
    if @document.update(document_params)
      redirect_to @document, notice: "Document saved."
    else
      render :edit, status: :unprocessable_entity
    end
  end

  def destroy
    @document.destroy!
    redirect_to documents_path, notice: "Document deleted.", status: :see_other
  end

  private

  def set_document
    @document = Document.find(params[:id])
  end

  def document_params
    params.require(:document).permit(:title, :body)
  end
end
