from twin_support import VULNERABLE

SECRET_KEY = "twin-only-not-a-secret"
DEBUG = VULNERABLE
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
ROOT_URLCONF = "twinsite.urls"
INSTALLED_APPS = ["django.contrib.contenttypes"]
MIDDLEWARE = ["django.middleware.security.SecurityMiddleware"] if not VULNERABLE else []
SECURE_CONTENT_TYPE_NOSNIFF = True
DATABASES = {}
USE_TZ = True
