import os
from dataclasses import dataclass, field

from flask import Flask, g, jsonify, request
from itsdangerous import BadSignature, URLSafeSerializer

app = Flask(__name__)
app.config["SECRET_KEY"] = os.environ["FLASK_SECRET_KEY"]
CART_COOKIE = "cart"
cart_signer = URLSafeSerializer(app.config["SECRET_KEY"], salt="cart")


@dataclass
class Cart:
    items: dict[str, int] = field(default_factory=dict)

    def add(self, sku: str, qty: int) -> None:
        self.items[sku] = self.items.get(sku, 0) + qty


def load_cart() -> Cart:
    raw = request.cookies.get(CART_COOKIE)
    if not raw:
        return Cart()
    try:
        data = cart_signer.loads(raw)
    except BadSignature:
        return Cart()
    items = data.get("items", {}) if isinstance(data, dict) else {}
    return Cart({str(k): int(v) for k, v in items.items()})


@app.before_request
def attach_cart():
    g.cart = load_cart()


@app.post("/cart/items")
def add_item():
    payload = request.get_json(force=True)
    g.cart.add(str(payload["sku"]), int(payload.get("qty", 1)))
    response = jsonify(items=g.cart.items)
    encoded = cart_signer.dumps({"items": g.cart.items})
    response.set_cookie(CART_COOKIE, encoded, httponly=True, secure=True, samesite="Lax")
    return response


@app.get("/cart")
def show_cart():
    return jsonify(items=g.cart.items)
