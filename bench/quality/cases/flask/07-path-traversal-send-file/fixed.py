from flask import Flask, abort, request, send_from_directory
from flask_login import login_required

app = Flask(__name__)
app.config["UPLOAD_FOLDER"] = "/srv/app/uploads"


@app.route("/download")
@login_required
def download():
    filename = request.args.get("file")
    if not filename:
        abort(400)
    # send_from_directory rejects paths that escape UPLOAD_FOLDER (404)
    return send_from_directory(app.config["UPLOAD_FOLDER"], filename, as_attachment=True)
