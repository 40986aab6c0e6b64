class TransfersController < ApplicationController
  before_action :authenticate_user!

  def create
    transfer = current_user.account.transfers.build(
      to_account_number: params[:to_account_number],
      amount_cents: (params[:amount].to_d * 100).to_i
    )
    if transfer.save
      redirect_to account_path, notice: "Transfer sent."
    else
      redirect_to new_transfer_path, alert: transfer.errors.full_messages.to_sentence
    end
  end
end
