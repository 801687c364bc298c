"""Account events."""

from __future__ import annotations

from emporia.kernel.events import event


@event("accounts.user_registered")
class UserRegistered:
    """A buyer account was created.

    ``context`` is the opaque signup attribution the caller passed along
    (strings only, e.g. ``referral_code``, ``device_id``, ``ip``): the core
    stores nothing of it and gives it no meaning; modes that care (invite
    rewards binding a visitor to their inviter, device checks) read it here.
    """

    user_id: int
    context: dict


@event("accounts.shop_frozen", version=1)
class ShopFrozen:
    """An operator froze a shop: it sells nothing and is hidden from search
    until unfrozen. ``reason`` says why (a governance penalty, a court order…)."""

    shop_id: int
    actor_id: int | None
    reason: str


@event("accounts.shop_unfrozen", version=1)
class ShopUnfrozen:
    """A frozen shop is active again."""

    shop_id: int
    actor_id: int | None
    reason: str
