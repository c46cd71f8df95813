"""WSGI entry point, used by gunicorn."""

import os

from django.conf import settings
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tracker.settings")

application = get_wsgi_application()

# Reading the key raises ImproperlyConfigured when it is empty (DJANGO_SECRET_KEY unset with
# debugging off): the server refuses to start rather than fail on its first signed cookie.
settings.SECRET_KEY  # noqa: B018
