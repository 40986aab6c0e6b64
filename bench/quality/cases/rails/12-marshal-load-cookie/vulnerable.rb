class CartsController < ApplicationController
  def show
    @cart = load_cart
  end

  def add
    cart = load_cart
    cart[params[:sku]] = cart.fetch(params[:sku], 0) + 1
    cookies[:cart] = Base64.strict_encode64(Marshal.dump(cart))
    redirect_to cart_path
  end

  private

  def load_cart
    return {} if cookies[:cart].blank?

    Marshal.load(Base64.decode64(cookies[:cart]))
  end
end
