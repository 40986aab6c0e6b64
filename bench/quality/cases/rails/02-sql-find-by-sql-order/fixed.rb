class Admin::ReportsController < Admin::BaseController
  def revenue
    sort = %w[total name].include?(params[:sort]) ? params[:sort] : "total"
    region = params[:region]
    sql = <<~SQL
      SELECT products.id, products.name, SUM(line_items.price_cents) AS total
      FROM line_items
      JOIN products ON products.id = line_items.product_id
      WHERE line_items.region = ?
      GROUP BY products.id, products.name
      ORDER BY #{sort} DESC
    SQL
    @rows = Product.find_by_sql([sql, region])
    render :revenue
  end
end
