class UsersController < ApplicationController
  before_action :authenticate_user!

  def index
    pattern = "%#{User.sanitize_sql_like(params[:q].to_s)}%"
    @users = User.where("email LIKE ? AND active = true", pattern).order(:email).limit(50)
    render json: @users.as_json(only: %i[id email name])
  end

  def show
    @user = User.find(params[:id])
    render json: @user.as_json(only: %i[id email name])
  end
end
