from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent

SECRET_KEY = "django-insecure-w8#k2!p9v@x3m$q7r^t1z&b6n*c4j(e0h)f5g_a+d=s-y%l"
DEBUG = False
ALLOWED_HOSTS = ["shop.example.com"]

EMAIL_BACKEND = "anymail.backends.sendgrid.EmailBackend"
ANYMAIL = {
    "SENDGRID_API_KEY": "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",
}

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "anymail",
    "shop",
]
