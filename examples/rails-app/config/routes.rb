Rails.application.routes.draw do
  devise_for :users

  resources :articles, only: %i[index show create update destroy]

  get "up" => "rails/health#show", as: :rails_health_check
end
