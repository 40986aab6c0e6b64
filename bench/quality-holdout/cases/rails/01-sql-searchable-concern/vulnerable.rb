# app/models/concerns/searchable.rb + app/controllers/projects_controller.rb
module Searchable
  extend ActiveSupport::Concern

  class_methods do
    def search(term, fields:)
      return all if term.blank?

      clause = fields.map { |field| "#{table_name}.#{field} ILIKE '%#{term}%'" }.join(" OR ")
      where(clause)
    end

    def sorted(column, direction = "asc")
      order("#{column} #{direction}")
    end
  end
end

class Project < ApplicationRecord
  include Searchable

  belongs_to :account
  has_many :tasks, dependent: :destroy
end

class ProjectsController < ApplicationController
  before_action :authenticate_user!

  def index
    @projects = current_account.projects
                               .search(params[:q], fields: %w[name description])
                               .sorted(params.fetch(:sort, "updated_at"), params.fetch(:dir, "desc"))
                               .page(params[:page])
  end
end
