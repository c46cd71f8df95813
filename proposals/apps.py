from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProposalsConfig(AppConfig):
    name = "proposals"
    verbose_name = _("Proposals")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.contrib import admin

        from proposals import checks  # noqa: F401  (registers the system checks)

        # Django's login page has no level-one heading; this one names the page in one.
        admin.site.login_template = "admin/tracker_login.html"
