"""Django twin entry point: `python manage.py PORT` sets up the data folder and serves."""

import os
import sys

if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "twinsite.settings")
    from django.core.management import execute_from_command_line
    from twin_support import setup

    setup()
    execute_from_command_line([sys.argv[0], "runserver", f"127.0.0.1:{sys.argv[1]}", "--noreload", "--nothreading"])
