# app/controllers/concerns/ui_preferences.rb
module UiPreferences
  extend ActiveSupport::Concern

  DEFAULTS = { theme: "light", density: "comfortable", sidebar: true }.freeze

  included do
    helper_method :ui_preferences
  end

  def ui_preferences
    @ui_preferences ||= begin
      stored = cookies.encrypted[:ui_prefs]
      stored.is_a?(Hash) ? DEFAULTS.merge(stored.symbolize_keys.slice(*DEFAULTS.keys)) : DEFAULTS.dup
    end
  end

  def store_ui_preferences(changes)
    prefs = ui_preferences.merge(changes.to_h.symbolize_keys.slice(*DEFAULTS.keys))
    cookies.encrypted[:ui_prefs] = {
      value: prefs,
      expires: 1.year,
      httponly: true,
      secure: Rails.env.production?,
      same_site: :lax,
    }
    @ui_preferences = prefs
  end
end

class PreferencesController < ApplicationController
  include UiPreferences

  def update
    store_ui_preferences(params.require(:preferences).permit(:theme, :density, :sidebar))
    redirect_back fallback_location: root_path
  end
end
