from fastapi import FastAPI
from fastapi.responses import HTMLResponse

app = FastAPI()


@app.get("/unsubscribe", response_class=HTMLResponse)
async def unsubscribe(email: str, list_name: str = "newsletter"):
    body = f"""
    <html><body>
      <h2>You have been unsubscribed</h2>
      <p>{email} will no longer receive the {list_name} emails.</p>
    </body></html>
    """
    return HTMLResponse(content=body)
