from flask import Flask, render_template_string, request

app = Flask(__name__)

PAGE = """
<!doctype html>
<title>Greeting card</title>
<div class="card">
  <h2>{{ title }}</h2>
  <p>{{ message }}</p>
</div>
"""


@app.route("/card")
def card():
    message = request.args.get("message", "Happy birthday!")
    title = request.args.get("title", "For you")
    return render_template_string(PAGE, title=title, message=message)
