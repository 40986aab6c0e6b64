require "net/http"
require "resolv"
require "ipaddr"

class WebhooksController < ApplicationController
  before_action :authenticate_user!

  def test
    uri = URI.parse(params[:url].to_s)
    return render(json: { error: "URL not allowed" }, status: :unprocessable_entity) unless public_https?(uri)

    response = Net::HTTP.post(uri, { event: "ping", account_id: current_user.account_id }.to_json,
                              "Content-Type" => "application/json")
    render json: { status: response.code.to_i, body: response.body.to_s[0, 500] }
  rescue StandardError => e
    render json: { error: e.message }, status: :bad_gateway
  end

  private

  def public_https?(uri)
    return false unless uri.is_a?(URI::HTTPS) && uri.host.present?

    addresses = Resolv.getaddresses(uri.host)
    addresses.any? && addresses.none? { |a| internal_ip?(IPAddr.new(a)) }
  end

  def internal_ip?(ip)
    ip.private? || ip.loopback? || ip.link_local?
  end
end
