from flask import Flask, jsonify, request

app = Flask(__name__)


@app.route("/api/calculate", methods=["POST"])
def calculate():
    data = request.get_json(force=True)
    expression = data.get("expression", "")
    try:
        result = eval(expression)
    except Exception as exc:
        return jsonify({"error": str(exc)}), 400
    return jsonify({"expression": expression, "result": result})
