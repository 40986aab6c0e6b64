from flask import Flask
from flask_cors import CORS
from flask_login import LoginManager

from .api import api_bp

app = Flask(__name__)
app.config.from_prefixed_env()
CORS(app, origins=["https://app.example.com", "https://admin.example.com"], supports_credentials=True)
LoginManager(app)
app.register_blueprint(api_bp, url_prefix="/api")
