from django.db import models
from rest_framework.exceptions import ValidationError
from rest_framework import permissions, serializers
from rest_framework.generics import ListAPIView


class OrderQuerySet(models.QuerySet):
    pass


GROUPABLE_COLUMNS = {"country": "country", "channel": "channel", "status": "status"}


class OrderReportManager(models.Manager):
    def revenue_by(self, group_by, start, end, status=None):
        column = GROUPABLE_COLUMNS.get(group_by)
        if column is None:
            raise ValidationError({"group_by": "unsupported grouping"})
        conditions = ["created_at >= %s", "created_at < %s"]
        params = [start, end]
        if status:
            conditions.append("status = %s")
            params.append(status)
        where_clause = " AND ".join(conditions)
        sql = (
            f"SELECT MIN(id) AS id, {column} AS bucket, SUM(total_cents) AS revenue "
            f"FROM shop_order WHERE {where_clause} GROUP BY {column} ORDER BY revenue DESC"
        )
        return self.raw(sql, params)


class Order(models.Model):
    status = models.CharField(max_length=20)
    country = models.CharField(max_length=2)
    channel = models.CharField(max_length=20)
    total_cents = models.BigIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    objects = models.Manager()
    reports = OrderReportManager()

    class Meta:
        db_table = "shop_order"


class RevenueRowSerializer(serializers.Serializer):
    bucket = serializers.CharField()
    revenue = serializers.IntegerField()


class RevenueReportView(ListAPIView):
    serializer_class = RevenueRowSerializer
    permission_classes = [permissions.IsAdminUser]
    pagination_class = None

    def get_queryset(self):
        params = self.request.query_params
        return Order.reports.revenue_by(
            group_by=params.get("group_by", "country"),
            start=params["start"],
            end=params["end"],
            status=params.get("status"),
        )
