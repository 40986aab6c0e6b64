class Admin::ReportsController < Admin::BaseController
  def revenue
    sort = params[:sort] || "total"
    region = params[:region]
    sql = <<~SQL
      SELECT products.id, products.name, SUM(line_items.price_cents) AS total
      FROM line_items
      JOIN products ON products.id = line_items.product_id
      WHERE line_items.region = '#{region}'
      GROUP BY products.id, products.name
      ORDER BY #{sort} DESC
    SQL
    @rows = Product.find_by_sql(sql)
    render :revenue
  end
end
