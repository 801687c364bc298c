"""Invite rewards — 邀请有礼: codes, binding, the reward decision.

Contract overview
-----------------
- ``referral_code_for`` gives every buyer one short random code (8 of 32
  unambiguous letters and digits: 2^40 codes).
- ``bind_invite`` ties a new buyer to the owner of the code they arrived
  with, once (first touch). It runs from the ``accounts.user_registered``
  event (the web layer carries the code from the invite link in the session)
  or when a buyer types a code within ``code_entry_days`` of signing up.
- ``decide_reward`` runs from ``orders.order_completed``: on the invitee's
  first completed paid order the invite gets one ``InviteReward`` row —
  rewarded (Dr ``platform:marketing`` / Cr ``user:<inviter>:credit``) or
  blocked with its reason. The row is unique per invite and the ledger key is
  ``invite_reward:<invite id>``, so a replayed event changes nothing.

Abuse rules, checked in this order: self-referral, a cycle of invites (the
invitee is an ancestor of the inviter), a device seen with both, the
invitee's shipping address or phone among the inviter's, a payment account
(as the payment provider reports it) used by both, the inviter's daily cap
and total cap. The inviter's code row is locked while deciding, so two
rewards for one inviter can't both slip under a cap.
"""

from __future__ import annotations

import datetime as dt
import re
import secrets

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from emporia.core.accounts import selectors as accounts_selectors
from emporia.core.ledger import services as ledger
from emporia.core.ledger.services import Leg
from emporia.core.orders import selectors as orders_selectors
from emporia.core.payments import selectors as payments_selectors
from emporia.kernel import clock
from emporia.kernel.errors import Conflict, NotFound
from emporia.kernel.money import Money

from .. import growth_conf, reasons
from ..models import DeviceSighting, Invite, InviteReward, ReferralCode
from . import orchard

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 8
DEVICE_RE = re.compile(r"^[A-Za-z0-9_-]{8,64}$")
R = InviteReward.Reason


def local_day(moment: dt.datetime | None = None) -> dt.date:
    """The calendar day in the platform's time zone (caps reset at midnight)."""
    return timezone.localtime(moment or clock.now()).date()


def normalize_code(code: str) -> str:
    return re.sub(r"[\s-]", "", code or "").upper()[:16]


@transaction.atomic
def referral_code_for(*, user) -> ReferralCode:
    """The buyer's invite code, created on first use. Idempotent and safe to
    race: a concurrent creation for the same user returns the winner's code."""
    existing = ReferralCode.objects.filter(user=user).first()
    if existing is not None:
        return existing
    for _attempt in range(8):
        code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
        try:
            with transaction.atomic():
                return ReferralCode.objects.create(
                    user=user, code=code, created_at=clock.now()
                )
        except IntegrityError:
            existing = ReferralCode.objects.filter(user=user).first()
            if existing is not None:
                return existing
    raise Conflict(_("Could not allocate an invite code; try again"))


@transaction.atomic
def record_device(*, user, device_id: str, ip: str = "", source: str = "visit") -> bool:
    """Remember that ``device_id`` was seen with ``user`` (at signup, or a
    visit to the invite or orchard page). Malformed ids are ignored (False)."""
    if not device_id or not DEVICE_RE.match(device_id):
        return False
    DeviceSighting.objects.bulk_create(
        [
            DeviceSighting(
                user=user,
                device_id=device_id,
                ip=(ip or "")[:45],
                source=source,
                seen_at=clock.now(),
            )
        ],
        ignore_conflicts=True,
    )
    return True


def _ancestors(user_id: int) -> list[int]:
    """Who invited ``user_id``, who invited them, … (stops on a repeat)."""
    chain: list[int] = []
    current = user_id
    while True:
        parent = (
            Invite.objects.filter(invitee_id=current)
            .values_list("inviter_id", flat=True)
            .first()
        )
        if parent is None or parent in chain or parent == user_id:
            if parent == user_id:
                chain.append(parent)
            return chain
        chain.append(parent)
        current = parent


def _block(invite: Invite, reason: str, detail: str, order_id=None) -> InviteReward:
    conf = growth_conf.invites()
    Invite.objects.filter(pk=invite.pk).update(status=Invite.Status.BLOCKED)
    invite.status = Invite.Status.BLOCKED
    return InviteReward.objects.create(
        invite=invite,
        inviter_id=invite.inviter_id,
        outcome=InviteReward.Outcome.BLOCKED,
        reason=reason,
        detail=detail[:255],
        currency=conf["currency"],
        order_id=order_id,
        day=local_day(),
        decided_at=clock.now(),
    )


@transaction.atomic
def bind_invite(*, invitee, code: str, channel: str = Invite.Channel.LINK) -> Invite:
    """Bind ``invitee`` to the owner of ``code`` (first touch, for ever).

    Raises NotFound for an unknown code and Conflict when the buyer already
    has an inviter (nothing changed). A code of one's own, or an inviter who
    was invited by this buyer (a cycle), still creates the invite but blocks
    it at once with the reason, so the refusal is on record. A joined invite
    gives the inviter's orchard tree its "invite" water (within its cap).
    """
    owner = ReferralCode.objects.filter(code=normalize_code(code)).first()
    if owner is None:
        raise NotFound(_("There is no such invite code"), field="code")
    if Invite.objects.filter(invitee=invitee).exists():
        raise Conflict(_("You already have an inviter"), code="already_invited")
    try:
        with transaction.atomic():
            invite = Invite.objects.create(
                inviter_id=owner.user_id,
                invitee=invitee,
                code=owner.code,
                channel=channel,
                bound_at=clock.now(),
            )
    except IntegrityError as exc:
        raise Conflict(
            _("You already have an inviter"), code="already_invited"
        ) from exc
    if owner.user_id == invitee.pk:
        _block(invite, R.SELF, reasons.INVITE_OWN_CODE.text())
    elif invitee.pk in _ancestors(owner.user_id):
        _block(invite, R.CYCLE, reasons.INVITE_CYCLE.text())
    else:
        orchard.grant_water(
            owner_id=owner.user_id,
            task=orchard.Task.INVITE,
            ref=f"invite:{invite.pk}",
            quiet=True,
        )
    return invite


@transaction.atomic
def enter_invite_code(*, user, code: str) -> Invite:
    """A buyer who signed up without a link types an inviter's code.

    Allowed within ``code_entry_days`` of signing up and before their first
    completed order; otherwise Conflict and nothing changes.
    """
    conf = growth_conf.invites()
    if clock.now() - user.date_joined > dt.timedelta(days=conf["code_entry_days"]):
        raise Conflict(
            _("Invite codes can be entered within %(days)s days of signing up")
            % {"days": conf["code_entry_days"]},
            code="too_late",
        )
    if orders_selectors.orders_for_buyer(user=user, status="completed").exists():
        raise Conflict(
            _("Invite codes are for buyers before their first order"),
            code="too_late",
        )
    return bind_invite(invitee=user, code=code, channel=Invite.Channel.CODE)


def bind_from_signup(*, user_id: int, context: dict) -> Invite | None:
    """React to ``accounts.user_registered``: remember the signup device and,
    when the visitor came by an invite link, bind them to the inviter. An
    unknown code is ignored (a stale link must not break signing up)."""
    user = get_user_model().objects.filter(pk=user_id).first()
    if user is None:
        return None
    record_device(
        user=user,
        device_id=context.get("device_id", ""),
        ip=context.get("ip", ""),
        source=DeviceSighting.Source.SIGNUP,
    )
    code = context.get("referral_code", "")
    if not code:
        return None
    try:
        return bind_invite(invitee=user, code=code, channel=Invite.Channel.LINK)
    except (NotFound, Conflict):
        return None


def _address_keys(snapshot: dict) -> set[str]:
    def squash(*parts) -> str:
        return re.sub(r"\s+", "", "|".join(str(p or "") for p in parts)).lower()

    keys = set()
    if snapshot.get("line1"):
        keys.add(
            "addr:"
            + squash(
                snapshot.get("country"),
                snapshot.get("province"),
                snapshot.get("city"),
                snapshot.get("district"),
                snapshot.get("line1"),
            )
        )
    if snapshot.get("phone"):
        keys.add("phone:" + re.sub(r"\D", "", snapshot["phone"]))
    return keys


def _inviter_address_keys(inviter) -> set[str]:
    keys: set[str] = set()
    for address in accounts_selectors.addresses_for(inviter):
        keys |= _address_keys(address.as_snapshot())
    for snapshot in orders_selectors.orders_for_buyer(user=inviter).values_list(
        "shipping_address", flat=True
    ):
        keys |= _address_keys(snapshot or {})
    return keys


def _abuse(invite: Invite, order) -> tuple[str, str] | None:
    if invite.inviter_id == invite.invitee_id:
        return R.SELF, reasons.INVITE_OWN_CODE.text()
    if invite.invitee_id in _ancestors(invite.inviter_id):
        return R.CYCLE, reasons.INVITE_CYCLE.text()
    shared = set(
        DeviceSighting.objects.filter(user_id=invite.invitee_id).values_list(
            "device_id", flat=True
        )
    ) & set(
        DeviceSighting.objects.filter(user_id=invite.inviter_id).values_list(
            "device_id", flat=True
        )
    )
    if shared:
        return R.DEVICE, reasons.INVITE_SHARED_DEVICE.text()
    if _address_keys(order.shipping_address or {}) & _inviter_address_keys(
        invite.inviter
    ):
        return R.ADDRESS, reasons.INVITE_SHARED_ADDRESS.text()
    payers = payments_selectors.payer_accounts(
        buyer_ids=[invite.inviter_id, invite.invitee_id]
    )
    if payers[invite.inviter_id] & payers[invite.invitee_id]:
        return R.PAYMENT, reasons.INVITE_SHARED_PAYMENT.text()
    return None


def _cap_reason(invite: Invite) -> tuple[str, str] | None:
    conf = growth_conf.invites()
    rewarded = InviteReward.objects.filter(
        inviter_id=invite.inviter_id, outcome=InviteReward.Outcome.REWARDED
    )
    if rewarded.count() >= conf["total_cap"]:
        return R.TOTAL_CAP, reasons.INVITE_TOTAL_CAP.text(count=conf["total_cap"])
    if rewarded.filter(day=local_day()).count() >= conf["daily_cap"]:
        return R.DAILY_CAP, reasons.INVITE_DAILY_CAP.text(count=conf["daily_cap"])
    return None


def reward_amount() -> Money:
    conf = growth_conf.invites()
    return Money.from_decimal(conf["reward"], conf["currency"])


@transaction.atomic
def decide_reward(*, invitee_id: int, order_id: int) -> InviteReward | None:
    """Decide the invite of ``invitee_id`` when their order ``order_id``
    completes. Only the first completed order with something paid counts
    (a free prize doesn't); an invite already decided is returned unchanged.
    Returns None when the buyer has no invite or the order doesn't qualify.
    """
    invite = (
        Invite.objects.select_related("inviter", "invitee")
        .filter(invitee_id=invitee_id)
        .first()
    )
    if invite is None:
        return None
    existing = InviteReward.objects.filter(invite=invite).first()
    if existing is not None:
        return existing
    try:
        order = orders_selectors.order_for_buyer(user=invite.invitee, order_id=order_id)
    except NotFound:
        return None
    if order.status != "completed" or order.total_minor <= 0:
        return None
    # Serialize decisions per inviter: the caps below count, then insert.
    code = referral_code_for(user=invite.inviter)
    ReferralCode.objects.select_for_update().filter(pk=code.pk).first()
    existing = InviteReward.objects.filter(invite=invite).first()
    if existing is not None:
        return existing
    refusal = _abuse(invite, order) or _cap_reason(invite)
    if refusal is not None:
        return _block(invite, refusal[0], refusal[1], order_id=order.pk)
    amount = reward_amount()
    key = f"invite_reward:{invite.pk}"
    ledger.post(
        key=key,
        kind="invite_reward",
        legs=[
            Leg.debit(ledger.platform_account("marketing", amount.currency), amount),
            Leg.credit(
                ledger.user_account(invite.inviter_id, "credit", amount.currency),
                amount,
            ),
        ],
        memo=reasons.INVITE_REWARD.text(name=invite.invitee.display_name),
        ref=f"invite:{invite.pk}",
    )
    Invite.objects.filter(pk=invite.pk).update(status=Invite.Status.REWARDED)
    invite.status = Invite.Status.REWARDED
    return InviteReward.objects.create(
        invite=invite,
        inviter_id=invite.inviter_id,
        outcome=InviteReward.Outcome.REWARDED,
        amount_minor=amount.minor,
        currency=amount.currency,
        order_id=order.pk,
        ledger_key=key,
        day=local_day(),
        decided_at=clock.now(),
    )
