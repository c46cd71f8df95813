"""Let editors manage their webhooks in the admin (the admin shows each only their own)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

EDITORS_GROUP = "Editors"
WEBHOOK_PERMISSIONS = (
    "view_webhook",
    "add_webhook",
    "change_webhook",
    "delete_webhook",
    "view_delivery",
    "change_delivery",
)


def grant(apps, schema_editor):
    app_config = apps.get_app_config("webhooks")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=EDITORS_GROUP)
    group.permissions.add(
        *Permission.objects.filter(
            content_type__app_label="webhooks", codename__in=WEBHOOK_PERMISSIONS
        )
    )


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group in Group.objects.filter(name=EDITORS_GROUP):
        group.permissions.remove(
            *Permission.objects.filter(
                content_type__app_label="webhooks", codename__in=WEBHOOK_PERMISSIONS
            )
        )


class Migration(migrations.Migration):
    dependencies = [
        ("webhooks", "0001_initial"),
        ("proposals", "0002_editors_group"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
