class SearchController < ApplicationController
  def index
    @query = params[:q].to_s
    @results = Article.published.where("title ILIKE ?", "%#{Article.sanitize_sql_like(@query)}%").limit(20)
    if @results.empty?
      flash.now[:notice] = "No results for <strong>#{@query}</strong>. Try another search.".html_safe
    end
    render html: "<h1>Search: #{@query}</h1>".html_safe, layout: true if request.format.html? && params[:compact]
  end
end
