# app/controllers/concerns/ui_preferences.rb
module UiPreferences
  extend ActiveSupport::Concern

  DEFAULTS = { theme: "light", density: "comfortable", sidebar: true }.freeze

  included do
    helper_method :ui_preferences
  end

  def ui_preferences
    @ui_preferences ||= begin
      raw = cookies[:ui_prefs]
      raw.present? ? DEFAULTS.merge(Marshal.load(Base64.urlsafe_decode64(raw))) : DEFAULTS.dup
    rescue ArgumentError, TypeError
      DEFAULTS.dup
    end
  end

  def store_ui_preferences(changes)
    prefs = ui_preferences.merge(changes.to_h.symbolize_keys.slice(*DEFAULTS.keys))
    cookies[:ui_prefs] = {
      value: Base64.urlsafe_encode64(Marshal.dump(prefs)),
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
