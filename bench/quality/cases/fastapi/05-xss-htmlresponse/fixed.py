from html import escape

from fastapi import FastAPI
from fastapi.responses import HTMLResponse

app = FastAPI()


@app.get("/unsubscribe", response_class=HTMLResponse)
async def unsubscribe(email: str, list_name: str = "newsletter"):
    body = f"""
    <html><body>
      <h2>You have been unsubscribed</h2>
      <p>{escape(email)} will no longer receive the {escape(list_name)} emails.</p>
    </body></html>
    """
    return HTMLResponse(content=body)
