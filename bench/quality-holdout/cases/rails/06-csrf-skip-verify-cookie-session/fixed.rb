class ApplicationController < ActionController::Base
  protect_from_forgery with: :exception
end

class TeamMembershipsController < ApplicationController
  before_action :authenticate_user!
  before_action :set_team

  def create
    authorize @team, :manage_members?
    membership = @team.memberships.create!(user: User.find_by!(email: params.require(:email)), role: "member")
    render json: membership, status: :created
  end

  def update
    authorize @team, :manage_members?
    membership = @team.memberships.find(params[:id])
    membership.update!(role: params.require(:role).presence_in(%w[member admin]) || "member")
    render json: membership
  end

  def destroy
    authorize @team, :manage_members?
    @team.memberships.find(params[:id]).destroy!
    head :no_content
  end

  private

  def set_team
    @team = current_user.teams.find(params[:team_id])
  end
end
