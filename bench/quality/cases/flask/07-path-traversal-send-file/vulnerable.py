import os

from flask import Flask, abort, request, send_file
from flask_login import login_required

app = Flask(__name__)
app.config["UPLOAD_FOLDER"] = "/srv/app/uploads"


@app.route("/download")
@login_required
def download():
    filename = request.args.get("file")
    if not filename:
        abort(400)
    path = os.path.join(app.config["UPLOAD_FOLDER"], filename)
    if not os.path.exists(path):
        abort(404)
    return send_file(path, as_attachment=True)
