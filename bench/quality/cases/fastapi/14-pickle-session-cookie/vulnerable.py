import base64
import pickle

from fastapi import Cookie, FastAPI, Response

app = FastAPI()


@app.get("/cart")
async def get_cart(cart: str | None = Cookie(default=None)):
    if not cart:
        return {"items": []}
    items = pickle.loads(base64.b64decode(cart))
    return {"items": items}


@app.post("/cart/{sku}")
async def add_to_cart(sku: str, response: Response, cart: str | None = Cookie(default=None)):
    items = pickle.loads(base64.b64decode(cart)) if cart else []
    items.append(sku)
    response.set_cookie("cart", base64.b64encode(pickle.dumps(items)).decode(), httponly=True)
    return {"items": items}
