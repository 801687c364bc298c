"""Share links: signed, expiring tokens that carry the group, the sharer and
the channel; and the visit log behind the share → visit → join funnel.

A token is ``django.core.signing.dumps({"g": ref, "s": share_id, "e": expiry})``
with a salt of its own, so it can be neither guessed nor edited: a changed
byte fails the HMAC (404), a token past its expiry is refused (410). Tokens
stay valid ``SHARE_LINK_GRACE_DAYS`` after the group's window so a late
visitor still lands on the page and is offered another group.
"""

from __future__ import annotations

import datetime as dt
import hashlib

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.utils.translation import gettext as _

from emporia.kernel import clock
from emporia.kernel.errors import DomainError, NotFound, ValidationFailed

from ..models import Group, GroupMember, GroupShare, ShareVisit
from ..models.shares import Channel
from ..states import ACTIVE_MEMBER, MemberStatus

SALT = "emporia.social.share-link"


class LinkExpired(DomainError):
    """A genuine share link past its expiry."""

    status = 410
    code = "share_link_expired"


def _grace() -> dt.timedelta:
    days = settings.EMPORIA.get("SOCIAL_SHARE_LINK_GRACE_DAYS", 7)
    return dt.timedelta(days=days)


def token_for(group: Group, share: GroupShare | None = None) -> str:
    """The signed link token of a group, attributed to ``share`` (or to no
    one: the product page's "join an open group" links)."""
    expiry = int((group.expires_at + _grace()).timestamp())
    return signing.dumps(
        {"g": group.ref, "s": share.pk if share else 0, "e": expiry},
        salt=SALT,
        compress=True,
    )


def read_token(token: str) -> tuple[Group, GroupShare | None]:
    """The group (and share) a link names. Raises NotFound for a forged,
    tampered or unknown token and LinkExpired for an expired one."""
    if not token or len(token) > 400:
        raise NotFound(_("This share link is not valid"))
    try:
        data = signing.loads(token, salt=SALT)
    except signing.BadSignature as exc:
        raise NotFound(_("This share link is not valid")) from exc
    if not isinstance(data, dict) or not isinstance(data.get("e"), int):
        raise NotFound(_("This share link is not valid"))
    if data["e"] < clock.now().timestamp():
        raise LinkExpired(_("This share link has expired"))
    group = (
        Group.objects.select_related("campaign__sku__product", "campaign__shop")
        .filter(ref=data.get("g"))
        .first()
    )
    if group is None:
        raise NotFound(_("This share link is not valid"))
    share = None
    if data.get("s"):
        share = GroupShare.objects.filter(pk=data["s"], group=group).first()
    return group, share


@transaction.atomic
def share_group(*, group: Group, sharer, channel: str) -> GroupShare:
    """Record that a member shared the group on a channel; the link carries it.

    Only the group's own members (paying or paid) share it; anyone else gets
    NotFound, so strangers cannot inflate a campaign's share counts."""
    if channel not in Channel.values:
        raise ValidationFailed(
            _("Choose a channel: %(channels)s")
            % {"channels": ", ".join(Channel.values)},
            field="channel",
        )
    if not GroupMember.objects.filter(
        group=group,
        buyer=sharer,
        status__in=(*ACTIVE_MEMBER, MemberStatus.REFUNDED),
    ).exists():
        raise NotFound(_("No such group"))
    return GroupShare.objects.create(
        group=group, campaign_id=group.campaign_id, sharer=sharer, channel=channel
    )


def visitor_key(*, user_id: int | None, session_key: str | None) -> str:
    """One visitor: the account when logged in, else the browser session
    (hashed, so the log holds no session ids)."""
    if user_id:
        return f"u:{user_id}"
    digest = hashlib.sha256((session_key or "").encode()).hexdigest()[:40]
    return f"s:{digest}"


@transaction.atomic
def record_visit(*, share: GroupShare | None, visitor: str) -> None:
    """Count a visit through a share once per visitor (unique per share and
    visitor; the sharer's own visits are not counted)."""
    if share is None or visitor == f"u:{share.sharer_id}":
        return
    ShareVisit.objects.bulk_create(
        [ShareVisit(share=share, visitor_key=visitor[:64], at=clock.now())],
        ignore_conflicts=True,
    )
