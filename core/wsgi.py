"""WSGI entry point (django-tenants sets the schema on the synchronous connection)."""

import os

from django.core.wsgi import get_wsgi_application

from core.startup import refusal_in_one_line

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "core.settings")

with refusal_in_one_line():
    application = get_wsgi_application()
