import base64
import pickle
from dataclasses import dataclass, field

from flask import Flask, g, jsonify, request

app = Flask(__name__)
CART_COOKIE = "cart"


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
        return pickle.loads(base64.urlsafe_b64decode(raw))
    except Exception:
        return Cart()


@app.before_request
def attach_cart():
    g.cart = load_cart()


@app.post("/cart/items")
def add_item():
    payload = request.get_json(force=True)
    g.cart.add(str(payload["sku"]), int(payload.get("qty", 1)))
    response = jsonify(items=g.cart.items)
    encoded = base64.urlsafe_b64encode(pickle.dumps(g.cart)).decode()
    response.set_cookie(CART_COOKIE, encoded, httponly=True, secure=True, samesite="Lax")
    return response


@app.get("/cart")
def show_cart():
    return jsonify(items=g.cart.items)
