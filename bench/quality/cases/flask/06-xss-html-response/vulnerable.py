from flask import Flask, request

app = Flask(__name__)


@app.get("/welcome")
def welcome():
    name = request.args.get("name", "guest")
    theme = "dark" if request.args.get("dark") else "light"
    html = f"""
    <html class="{theme}">
      <body>
        <h1>Welcome back, {name}!</h1>
        <a href="/logout">Log out</a>
      </body>
    </html>
    """
    return html
