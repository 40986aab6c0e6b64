# config/initializers/stripe.rb
Rails.configuration.stripe = {
  publishable_key: "pk_live_51NzQe2LkR8vT4pWm9XcYb3HdJfGa7Ks0Uq6VnEiPoBr1TyZx",
  secret_key: "sk_live_51NzQe2LkR8vT4pWm9XcYb3HdJfGa7Ks0Uq6VnEiPoBr1TyZxQmWn",
  webhook_secret: "whsec_8Kq2vN7pL3xR9mT4bW6yZ1cF5hJ0sD2g"
}

Stripe.api_key = Rails.configuration.stripe[:secret_key]
Stripe.max_network_retries = 2
