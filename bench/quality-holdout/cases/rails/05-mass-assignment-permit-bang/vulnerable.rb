module Settings
  class AccountsController < ApplicationController
    before_action :authenticate_user!

    def edit
      @user = current_user
    end

    def update
      @user = current_user
      if @user.update(account_params)
        bypass_sign_in(@user) if @user.saved_change_to_encrypted_password?
        redirect_to edit_settings_account_path, notice: "Account updated."
      else
        render :edit, status: :unprocessable_entity
      end
    end

    private

    def account_params
      params.require(:user).permit!
    end
  end
end
