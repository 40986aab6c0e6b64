class UsersController < ApplicationController
  before_action :authenticate_user!

  def index
    @users = User.where("email LIKE '%#{params[:q]}%' AND active = true").order(:email).limit(50)
    render json: @users.as_json(only: %i[id email name])
  end

  def show
    @user = User.find(params[:id])
    render json: @user.as_json(only: %i[id email name])
  end
end
