class CartsController < ApplicationController
  def show
    @cart = load_cart
  end

  def add
    cart = load_cart
    cart[params[:sku]] = cart.fetch(params[:sku], 0) + 1
    cookies.encrypted[:cart] = JSON.generate(cart)
    redirect_to cart_path
  end

  private

  def load_cart
    raw = cookies.encrypted[:cart]
    return {} if raw.blank?

    parsed = JSON.parse(raw)
    parsed.is_a?(Hash) ? parsed.select { |k, v| k.is_a?(String) && v.is_a?(Integer) } : {}
  rescue JSON::ParserError
    {}
  end
end
