# config/initializers/session_store.rb
Rails.application.config.session_store :cookie_store,
                                       key: "_shop_session",
                                       secure: Rails.env.production?,
                                       httponly: true,
                                       same_site: :lax,
                                       expire_after: 30.days

Rails.application.configure do
  config.force_ssl = Rails.env.production?
  config.consider_all_requests_local = Rails.env.development?
end
