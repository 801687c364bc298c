"""Group-buy lifecycles: statuses, transition tables and pure checks.

A campaign (拼团活动) runs, may be paused and resumed, and ends::

    active ⇄ paused
       └──────┴──► ended

A group (拼团) forms until it is full of paying members or its window
closes::

    forming ──► filled   (the N-th member paid in time: every order released)
       └──────► failed   (the window closed short: every order refunded)

Only ``services.groups._set_group_status`` and ``_set_campaign_status``
change a status; each writes a history row (who, when, why).
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from emporia.infra.words import StatusWords
from emporia.kernel.errors import InvalidTransition


class CampaignStatus(models.TextChoices):
    ACTIVE = "active", "Active"
    PAUSED = "paused", "Paused"
    ENDED = "ended", "Ended"


class GroupStatus(models.TextChoices):
    FORMING = "forming", "Forming"
    FILLED = "filled", "Filled"
    FAILED = "failed", "Failed"


class MemberStatus(models.TextChoices):
    """A seat: ``pending`` (order placed, not paid) and ``paid`` hold it;
    ``lapsed`` (the unpaid order ended) and ``refunded`` gave it back."""

    PENDING = "pending", "Awaiting payment"
    PAID = "paid", "Paid"
    LAPSED = "lapsed", "Not paid"
    REFUNDED = "refunded", "Refunded"


ACTIVE_MEMBER = (MemberStatus.PENDING, MemberStatus.PAID)

CAMPAIGN_TRANSITIONS: dict[str, frozenset[str]] = {
    CampaignStatus.ACTIVE: frozenset({CampaignStatus.PAUSED, CampaignStatus.ENDED}),
    CampaignStatus.PAUSED: frozenset({CampaignStatus.ACTIVE, CampaignStatus.ENDED}),
    CampaignStatus.ENDED: frozenset(),
}

TRANSITIONS: dict[str, frozenset[str]] = {
    GroupStatus.FORMING: frozenset({GroupStatus.FILLED, GroupStatus.FAILED}),
    GroupStatus.FILLED: frozenset(),
    GroupStatus.FAILED: frozenset(),
}


# A status as it reads inside a message, in the request's language.
group_status_words = StatusWords(
    GroupStatus,
    {
        GroupStatus.FORMING: pgettext_lazy("group status", "forming"),
        GroupStatus.FILLED: pgettext_lazy("group status", "filled"),
        GroupStatus.FAILED: pgettext_lazy("group status", "failed"),
    },
)
campaign_status_words = StatusWords(
    CampaignStatus,
    {
        CampaignStatus.ACTIVE: pgettext_lazy("campaign status", "active"),
        CampaignStatus.PAUSED: pgettext_lazy("campaign status", "paused"),
        CampaignStatus.ENDED: pgettext_lazy("campaign status", "ended"),
    },
)


def check(old: str, new: str) -> None:
    """Raise InvalidTransition unless the group may go ``old → new``."""
    if new not in TRANSITIONS.get(old, frozenset()):
        raise InvalidTransition(
            _("A group cannot go from %(old)s to %(new)s")
            % {"old": group_status_words(old), "new": group_status_words(new)},
            old=old,
            new=new,
        )


def check_campaign(old: str, new: str) -> None:
    """Raise InvalidTransition unless the campaign may go ``old → new``."""
    if new not in CAMPAIGN_TRANSITIONS.get(old, frozenset()):
        raise InvalidTransition(
            _("A campaign cannot go from %(old)s to %(new)s")
            % {
                "old": campaign_status_words(old),
                "new": campaign_status_words(new),
            },
            old=old,
            new=new,
        )
