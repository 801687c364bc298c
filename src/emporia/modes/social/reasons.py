"""The reasons, notes and ledger memos social commerce stores, in English;
pages show them in the reader's language (``emporia.infra.reasons``,
ADR 12)."""

from __future__ import annotations

from django.utils.translation import gettext_noop

from emporia.infra.reasons import stored_reason

from .states import CampaignStatus

# --- group buying: campaign and group history, the members' orders ---------------

CAMPAIGN_CREATED = stored_reason(gettext_noop("Campaign created"))
# A status change given no reason of its own: one sentence per status.
CAMPAIGN_STATUS = {
    CampaignStatus.ACTIVE: stored_reason(gettext_noop("Campaign active")),
    CampaignStatus.PAUSED: stored_reason(gettext_noop("Campaign paused")),
    CampaignStatus.ENDED: stored_reason(gettext_noop("Campaign ended")),
}
GROUP_STARTED = stored_reason(gettext_noop("Group started"))
GROUP_FILLED = stored_reason(
    gettext_noop("All %(size)s members paid: orders released to fulfilment")
)
GROUP_FAILED = stored_reason(
    gettext_noop("%(paid)s of %(size)s paid when the window closed")
)
# The members' orders: released, cancelled or refunded.
ORDER_RELEASED = stored_reason(gettext_noop("Group filled"))
ORDER_REFUNDED = stored_reason(
    gettext_noop("The group did not fill in time: full refund")
)
SEAT_NOT_PAID = stored_reason(
    gettext_noop("Group seat not paid within %(minutes)s minutes")
)
# The hold a member's paid order waits in (the order's hold reason).
FORMING = stored_reason(gettext_noop("group forming"))

# --- invites: why a reward was refused, the reward's ledger memo ---------------

INVITE_OWN_CODE = stored_reason(gettext_noop("Used their own invite code"))
INVITE_CYCLE = stored_reason(gettext_noop("The inviter was invited by this buyer"))
INVITE_SHARED_DEVICE = stored_reason(gettext_noop("A device was used by both accounts"))
INVITE_SHARED_ADDRESS = stored_reason(
    gettext_noop("The order ships to the inviter's address or phone")
)
INVITE_SHARED_PAYMENT = stored_reason(
    gettext_noop("Both paid from the same payment account")
)
INVITE_TOTAL_CAP = stored_reason(gettext_noop("%(count)s invites rewarded in total"))
INVITE_DAILY_CAP = stored_reason(gettext_noop("%(count)s invites rewarded today"))
INVITE_REWARD = stored_reason(
    gettext_noop("Invite reward: %(name)s completed an order")
)

# --- discounts the platform funds (their labels go into orders' ledger memos) ---

INVITE_CREDIT = stored_reason(gettext_noop("Invite credit"))
ORCHARD_PRIZE = stored_reason(gettext_noop("Orchard prize: free fruit and shipping"))
