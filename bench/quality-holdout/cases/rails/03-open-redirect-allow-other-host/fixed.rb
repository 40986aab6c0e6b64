class InvitationsController < ApplicationController
  before_action :authenticate_user!
  before_action :set_invitation

  def show; end

  def accept
    @invitation.accept!(current_user)
    destination = url_from(params[:return_to]) || workspace_path(@invitation.workspace)
    redirect_to destination, notice: "Welcome to #{@invitation.workspace.name}!"
  rescue Invitation::AlreadyAccepted
    redirect_to root_path, alert: "This invitation was already used."
  end

  private

  def set_invitation
    @invitation = Invitation.pending.find_by!(token: params[:token].to_s)
  end
end
