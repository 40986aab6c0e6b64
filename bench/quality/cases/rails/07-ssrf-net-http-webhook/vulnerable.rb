require "net/http"

class WebhooksController < ApplicationController
  before_action :authenticate_user!

  def test
    uri = URI.parse(params[:url])
    response = Net::HTTP.post(uri, { event: "ping", account_id: current_user.account_id }.to_json,
                              "Content-Type" => "application/json")
    render json: { status: response.code.to_i, body: response.body.to_s[0, 500] }
  rescue StandardError => e
    render json: { error: e.message }, status: :bad_gateway
  end
end
