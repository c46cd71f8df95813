"""Who may do what: the Editors group and the permission that makes an editor."""

from __future__ import annotations

from typing import Any

EDITORS_GROUP = "Editors"
CHANGE_STATUS_PERMISSION = "proposals.change_proposal_status"

# What the Editors group may do (app label "proposals" unless dotted otherwise).
EDITOR_PERMISSIONS = (
    "view_source",
    "add_source",
    "change_source",
    "view_sourcerevision",
    "add_sourcerevision",
    "view_sourceedit",
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
    "view_relation",
    "add_relation",
    "change_relation",
    "delete_relation",
    "view_position",
    "add_position",
    "view_positionevidence",
    "add_positionevidence",
    "webhooks.view_webhook",
    "webhooks.add_webhook",
    "webhooks.change_webhook",
    "webhooks.delete_webhook",
    "webhooks.view_delivery",
    "webhooks.change_delivery",
)


def is_editor(user: Any) -> bool:
    """Return whether `user` may write proposals, citations and status changes."""
    return bool(
        user is not None
        and user.is_authenticated
        and user.is_active
        and user.has_perm(CHANGE_STATUS_PERMISSION)
    )


def ensure_editors_group() -> Any:
    """Return the Editors group with every permission of EDITOR_PERMISSIONS.

    The permissions are added whether or not the group existed, and created first if they are
    missing (as `migrate` creates them): a database restored without them (flushed with its
    post-migrate signal held back, then reloaded) or a group stripped by hand made every editor
    a reader whose writes were refused with 403. Adding what is already there is a no-op.
    """
    from django.apps import apps
    from django.contrib.auth.management import create_permissions
    from django.contrib.auth.models import Group, Permission
    from django.db.models import Q

    names = [name.rpartition(".") for name in EDITOR_PERMISSIONS]
    wanted = [(app_label or "proposals", codename) for app_label, _, codename in names]
    for app_label in sorted({app_label for app_label, _ in wanted}):
        create_permissions(apps.get_app_config(app_label), verbosity=0)
    group, _created = Group.objects.get_or_create(name=EDITORS_GROUP)
    matching = Q()
    for app_label, codename in wanted:
        matching |= Q(content_type__app_label=app_label, codename=codename)
    group.permissions.add(*Permission.objects.filter(matching))
    return group
