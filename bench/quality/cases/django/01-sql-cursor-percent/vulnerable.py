from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import JsonResponse


@login_required
def sales_by_region(request):
    region = request.GET.get("region", "EU")
    year = request.GET.get("year", "2024")
    query = """
        SELECT p.name, SUM(s.amount)
        FROM shop_sale s JOIN shop_product p ON p.id = s.product_id
        WHERE s.region = '%s' AND EXTRACT(YEAR FROM s.sold_at) = %s
        GROUP BY p.name
    """ % (region, year)
    with connection.cursor() as cursor:
        cursor.execute(query)
        rows = cursor.fetchall()
    return JsonResponse({"rows": [{"product": name, "total": float(total)} for name, total in rows]})
