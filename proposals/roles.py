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
    """Return the Editors group, creating it with its permissions if a flush removed it."""
    from django.contrib.auth.models import Group, Permission
    from django.db.models import Q

    group, created = Group.objects.get_or_create(name=EDITORS_GROUP)
    if created:
        wanted = Q()
        for name in EDITOR_PERMISSIONS:
            app_label, _, codename = name.rpartition(".")
            wanted |= Q(content_type__app_label=app_label or "proposals", codename=codename)
        group.permissions.add(*Permission.objects.filter(wanted))
    return group
