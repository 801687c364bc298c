"""Product listing status: the transitions a status change may make.

Who may make them is a separate rule in ``services.set_product_status``:
banning and lifting a ban belong to platform operators.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from emporia.kernel.errors import InvalidTransition

DRAFT, LISTED, DELISTED, BANNED = "draft", "listed", "delisted", "banned"

TRANSITIONS: dict[str, frozenset[str]] = {
    DRAFT: frozenset({LISTED, BANNED}),
    LISTED: frozenset({DELISTED, BANNED}),
    DELISTED: frozenset({LISTED, DRAFT, BANNED}),
    # Lifting a ban leaves the product delisted; the shop lists it again.
    BANNED: frozenset({DELISTED}),
}

OPERATOR_ONLY: frozenset[tuple[str, str]] = frozenset(
    {(old, BANNED) for old in (DRAFT, LISTED, DELISTED)} | {(BANNED, DELISTED)}
)


def check(old: str, new: str) -> None:
    """Raise InvalidTransition unless ``old → new`` is in the table."""
    if new not in TRANSITIONS.get(old, frozenset()):
        raise InvalidTransition(
            _("A %(old)s product cannot become %(new)s") % {"old": old, "new": new},
            old=old,
            new=new,
        )
