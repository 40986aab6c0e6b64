# app/models/concerns/searchable.rb + app/controllers/projects_controller.rb
module Searchable
  extend ActiveSupport::Concern

  class_methods do
    def search(term, fields:)
      return all if term.blank?

      pattern = "%#{sanitize_sql_like(term)}%"
      fields.map { |field| where(arel_table[field].matches(pattern)) }.reduce(:or)
    end

    def sorted(column, direction = "asc")
      column = "updated_at" unless self::SORTABLE_COLUMNS.include?(column)
      direction = direction == "asc" ? :asc : :desc
      order(column => direction)
    end
  end
end

class Project < ApplicationRecord
  include Searchable

  SORTABLE_COLUMNS = %w[name created_at updated_at].freeze

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
