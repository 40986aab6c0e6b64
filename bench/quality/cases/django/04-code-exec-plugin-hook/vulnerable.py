from decimal import Decimal

from django.http import JsonResponse
from django.views import View

from .models import Cart, PricingRule


class CheckoutQuoteView(View):
    def post(self, request, cart_id):
        cart = Cart.objects.get(pk=cart_id, user=request.user)
        subtotal = sum((item.price * item.quantity for item in cart.items.all()), Decimal("0"))
        scope = {"subtotal": subtotal, "discount": Decimal("0"), "coupon": request.POST.get("coupon", "")}
        for rule in PricingRule.objects.filter(active=True):
            exec(rule.code, {"Decimal": Decimal}, scope)
        custom = request.POST.get("adjustment")
        if custom:
            scope["discount"] += eval(custom, {"Decimal": Decimal}, scope)
        return JsonResponse({"subtotal": str(subtotal), "total": str(subtotal - scope["discount"])})
