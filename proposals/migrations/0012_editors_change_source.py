"""Editors may correct a source's details in the admin; other staff may not, whatever their
model permissions (the admin asks proposals.roles.is_editor first, as for every other write)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

EDITORS_GROUP = "Editors"


def grant(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=EDITORS_GROUP)
    group.permissions.add(
        *Permission.objects.filter(content_type__app_label="proposals", codename="change_source")
    )


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group in Group.objects.filter(name=EDITORS_GROUP):
        group.permissions.remove(
            *Permission.objects.filter(
                content_type__app_label="proposals", codename="change_source"
            )
        )


class Migration(migrations.Migration):
    dependencies = [("proposals", "0011_cache_table")]

    operations = [migrations.RunPython(grant, revoke)]
