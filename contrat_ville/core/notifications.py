"""E-mails that tell people something happened (an application submitted, a decision taken).

What *awaits* a user is not e-mailed object by object: apps contribute an ``AwaitingSource`` and the contracts app
sends one digest (``manage.py send_awaiting_digest``). Event e-mails go through ``send_notification``, called from
services with ``transaction.on_commit`` so that a rolled-back action sends nothing.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.template.loader import render_to_string


def absolute_url(path: str) -> str:
    """``path`` on the platform's public address (``PLATFORM_URL``), for links in e-mails."""
    return f"{settings.PLATFORM_URL}{path}"


def send_notification(*, to: Iterable[str], subject: str, template: str, context: Mapping[str, Any]) -> int:
    """Render the plain-text ``template`` once and send it to each address separately (recipients never see each
    other); empty and repeated addresses are skipped. Returns the number of messages sent."""
    recipients = list(dict.fromkeys(address.strip() for address in to if address and address.strip()))
    if not recipients:
        return 0
    body = render_to_string(template, {"PLATFORM_NAME": settings.PLATFORM_NAME, **context})
    messages = [EmailMessage(subject=subject, body=body, to=[address]) for address in recipients]
    return get_connection().send_messages(messages) or 0
