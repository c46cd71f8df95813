"""Enqueue again the webhook deliveries left pending or sending too long (run it periodically)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from webhooks.services import sweep_deliveries


class Command(BaseCommand):
    help = (
        "Re-enqueue webhook deliveries left pending past their time or sending for longer than "
        "WEBHOOKS_STALE_AFTER (a worker died or a task was lost). Run it every few minutes."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        counts = sweep_deliveries()
        self.stdout.write(
            f"Requeued {counts['sending']} interrupted and {counts['pending']} overdue deliveries."
        )
