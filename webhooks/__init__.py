"""
Webhooks: signed HTTP callbacks telling subscribers what changed in the tracker.

To report a new kind of change, call `webhooks.events.publish_event` from the service that makes
the change, inside its transaction (see that function's docstring). Everything else here is
subscription management (services, API, admin) and delivery (tasks, sending, the sweep).
"""
