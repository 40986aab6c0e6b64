class SearchController < ApplicationController
  def index
    @query = params[:q].to_s
    @results = Article.published.where("title ILIKE ?", "%#{Article.sanitize_sql_like(@query)}%").limit(20)
    if @results.empty?
      flash.now[:notice] = helpers.safe_join(["No results for ", helpers.tag.strong(@query), ". Try another search."])
    end
    render html: helpers.tag.h1("Search: #{@query}"), layout: true if request.format.html? && params[:compact]
  end
end
