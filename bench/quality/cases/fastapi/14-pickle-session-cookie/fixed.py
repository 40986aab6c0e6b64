import base64
import json

from fastapi import Cookie, FastAPI, Response
from pydantic import TypeAdapter, ValidationError

app = FastAPI()
_cart_items = TypeAdapter(list[str])


def load_cart(cookie: str | None) -> list[str]:
    if not cookie:
        return []
    try:
        return _cart_items.validate_python(json.loads(base64.b64decode(cookie)))
    except (ValueError, ValidationError):
        return []


@app.get("/cart")
async def get_cart(cart: str | None = Cookie(default=None)):
    return {"items": load_cart(cart)}


@app.post("/cart/{sku}")
async def add_to_cart(sku: str, response: Response, cart: str | None = Cookie(default=None)):
    items = load_cart(cart)
    items.append(sku)
    response.set_cookie("cart", base64.b64encode(json.dumps(items).encode()).decode(), httponly=True)
    return {"items": items}
