"""Editors link proposals (relations) and record actors' positions with their evidence."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

EDITORS_GROUP = "Editors"
NEW_PERMISSIONS = (
    "view_relation",
    "add_relation",
    "change_relation",
    "delete_relation",
    "view_position",
    "add_position",
    "view_positionevidence",
    "add_positionevidence",
)


def grant(apps, schema_editor):
    # Permissions are normally created after all migrations; the group needs them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=EDITORS_GROUP)
    group.permissions.add(
        *Permission.objects.filter(
            content_type__app_label="proposals", codename__in=NEW_PERMISSIONS
        )
    )


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group in Group.objects.filter(name=EDITORS_GROUP):
        group.permissions.remove(
            *Permission.objects.filter(
                content_type__app_label="proposals", codename__in=NEW_PERMISSIONS
            )
        )


class Migration(migrations.Migration):
    dependencies = [("proposals", "0024_plain_text_validators")]

    operations = [migrations.RunPython(grant, revoke)]
