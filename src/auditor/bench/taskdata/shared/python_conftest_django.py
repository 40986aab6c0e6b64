import os
import sys

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mysite.settings")
os.environ.setdefault("DJANGO_SECRET_KEY", "test-only-key-for-the-functional-check")


@pytest.fixture()
def client(tmp_path, monkeypatch):
    monkeypatch.chdir(HERE)
    monkeypatch.setenv("APP_DB", str(tmp_path / "test.db"))
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.test import Client
    from django.test.utils import setup_test_environment

    settings.DATABASES["default"]["NAME"] = str(tmp_path / "test.db")
    settings.ALLOWED_HOSTS = ["testserver", "localhost"]
    try:
        setup_test_environment()
    except RuntimeError:
        pass  # already set up
    call_command("migrate", run_syncdb=True, verbosity=0)
    from django.contrib.auth.models import User

    from shop.models import Document, Order

    ada = User.objects.create_user(id=1, username="ada", email="ada@example.com", password="correct horse")
    bob = User.objects.create_user(id=2, username="bob", email="bob@example.com", password="battery staple")
    for oid, user, status, total in [(1, ada, "shipped", 20.0), (2, ada, "pending", 5.5),
                                     (3, bob, "shipped", 99.0), (4, ada, "shipped", 12.0)]:
        Order.objects.create(id=oid, user=user, status=status, total=total)
    Document.objects.create(id=1, owner=ada, title="Ada notes", body="engines")
    Document.objects.create(id=2, owner=bob, title="Bob plan", body="secret plan")
    c = Client()
    c.force_login(ada)
    return c


@pytest.fixture()
def anon():
    from django.test import Client

    return Client()
