import json
from decimal import Decimal

from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from .models import Account


@csrf_exempt
@login_required
@require_POST
def transfer(request):
    data = json.loads(request.body)
    amount = Decimal(str(data["amount"]))
    with transaction.atomic():
        source = Account.objects.select_for_update().get(owner=request.user)
        target = Account.objects.select_for_update().get(number=data["to_account"])
        if amount <= 0 or source.balance < amount:
            return JsonResponse({"error": "insufficient funds"}, status=400)
        source.balance -= amount
        target.balance += amount
        source.save()
        target.save()
    return JsonResponse({"ok": True, "balance": str(source.balance)})
