"""What awaits a user, gathered from the sources the apps contribute (``core.registries.awaiting_sources``).

The page « Ce qui vous attend », the panel of a contract's home and the digest e-mail all read ``awaiting_groups``.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser
from django.db import transaction
from django.utils import timezone

from contrat_ville.accounts.models import User
from contrat_ville.contracts.models import AwaitingDigest
from contrat_ville.core.notifications import absolute_url, send_notification
from contrat_ville.core.registries import AwaitingItem, awaiting_sources, sorted_entries

_NO_DUE_DATE = datetime.date.max


@dataclass(frozen=True)
class AwaitingGroup:
    label: str
    items: list[AwaitingItem]


def awaiting_groups(user: User | AnonymousUser, *, contract_id: int | None = None) -> list[AwaitingGroup]:
    """The user's awaiting items by source, the most urgent first; only ``contract_id``'s when given."""
    if not user.is_authenticated or not user.is_active:
        return []
    groups = []
    for source in sorted_entries(awaiting_sources):
        items = [item for item in source.collect(user) if contract_id is None or item.contract_id == contract_id]
        if items:
            items.sort(key=lambda item: (item.due or _NO_DUE_DATE, item.contract_name, item.title))
            groups.append(AwaitingGroup(label=source.label, items=items))
    return groups


def awaiting_count(groups: list[AwaitingGroup]) -> int:
    return sum(len(group.items) for group in groups)


@dataclass(frozen=True)
class DigestOutcome:
    sent: int
    unchanged: int
    empty: int


def send_awaiting_digests(*, users: list[User] | None = None, dry_run: bool = False) -> DigestOutcome:
    """One e-mail per active user listing everything that awaits them, unless the list has not changed since their
    last digest (nothing new to say) or is empty. ``dry_run`` counts without sending or recording."""
    recipients = users if users is not None else list(User.objects.filter(is_active=True).exclude(email=""))
    previous = {digest.user_id: digest for digest in AwaitingDigest.objects.filter(user__in=recipients)}
    sent = unchanged = empty = 0
    for user in recipients:
        groups = awaiting_groups(user)
        keys = sorted(item.key for group in groups for item in group.items)
        if not keys:
            empty += 1
            continue
        last = previous.get(user.pk)
        if last is not None and last.keys == keys:
            unchanged += 1
            continue
        sent += 1
        if not dry_run:
            _send_digest(user, groups, new_keys=set(keys) - set(last.keys if last else []), keys=keys)
    return DigestOutcome(sent=sent, unchanged=unchanged, empty=empty)


@transaction.atomic
def _send_digest(user: User, groups: list[AwaitingGroup], *, new_keys: set[str], keys: list[str]) -> None:
    count = awaiting_count(groups)
    send_notification(
        to=[user.email],
        subject=f"Ce qui vous attend sur la plateforme : {count} élément{'s' if count > 1 else ''}",
        template="contracts/emails/awaiting_digest.txt",
        context={
            "user": user,
            "groups": groups,
            "new_keys": new_keys,
            "page_url": absolute_url("/a-faire/"),
            "base_url": absolute_url(""),
        },
    )
    AwaitingDigest.objects.update_or_create(user=user, defaults={"sent_at": timezone.now(), "keys": keys})
