"""Create the Editors group with the permissions an editor needs."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

EDITORS_GROUP = "Editors"
EDITOR_PERMISSIONS = (
    "view_source",
    "view_actor",
    "add_actor",
    "change_actor",
    "view_proposal",
    "add_proposal",
    "change_proposal",
    "change_proposal_status",
    "view_citation",
    "add_citation",
    "change_citation",
    "delete_citation",
    "view_statuschange",
)


def create_editors_group(apps, schema_editor):
    # Permissions are normally created after all migrations; this group needs them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=EDITORS_GROUP)
    permissions = Permission.objects.filter(
        content_type__app_label="proposals", codename__in=EDITOR_PERMISSIONS
    )
    group.permissions.add(*permissions)


def remove_editors_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=EDITORS_GROUP).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("proposals", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_editors_group, remove_editors_group)]
