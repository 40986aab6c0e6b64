# config/initializers/session_store.rb
Rails.application.config.session_store :cookie_store,
                                       key: "_shop_session",
                                       secure: false,
                                       httponly: false,
                                       same_site: :none,
                                       expire_after: 30.days

Rails.application.configure do
  config.force_ssl = false
  config.consider_all_requests_local = true
end
