"""Extension points of search: sponsored slots.

``sponsored_sources`` lets a mode place paid, clearly labelled products on a
search results page (C2C keyword ads are one such source). The core asks
every registered source for slots, keeps only products a shopper could buy
right now (listed, in stock, shop active — see
``selectors.showable_products``), drops repeated products, and labels the
rest "Sponsored". A source never changes the organic results.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Protocol

from emporia.kernel.registry import Registry


@dataclass(frozen=True)
class Visitor:
    """Who is searching: the signed-in user's id (None when anonymous), the
    web session key ("" for API clients without one), the client IP and the
    user agent. ``key`` identifies the visitor for de-duplication."""

    user_id: int | None = None
    session_key: str = ""
    ip: str = ""
    user_agent: str = ""

    @property
    def key(self) -> str:
        if self.user_id is not None:
            return f"user:{self.user_id}"
        if self.session_key:
            return f"session:{self.session_key}"
        return f"device:{self.ip}|{self.user_agent[:200]}"


@dataclass(frozen=True)
class SponsoredSlot:
    """One paid placement: the product, the link a click must follow (the
    source counts and charges the click there, then sends the shopper to the
    product), the source's name and anything it wants to show to explain the
    slot (``details``, e.g. the matched keyword)."""

    product_id: int
    click_url: str
    source: str
    details: dict = field(default_factory=dict)


class SponsoredSource(Protocol):
    """A supplier of sponsored slots for a search.

    Contract: ``sponsored`` returns at most ``limit`` slots, best first, for
    products that ``search.selectors.showable_products`` reports showable
    (the source must filter before it ranks, so prices are set among ads
    that can really be shown; the core checks again and drops any other).
    ``showable`` is that check remembered for this search
    (``selectors.ShowableCheck``): a source filters with it, so the core's
    own check of the same products costs no second query.
    ``tokens`` are the query's words as the search index sees them
    (``search.text.query_tokens``). It may count impressions for the slots it
    returns, but must not fail the search: errors are its own to handle. It
    is called only for a non-blank query.
    """

    def sponsored(
        self,
        *,
        query: str,
        tokens: list[str],
        visitor: Visitor,
        limit: int,
        showable: Callable[[Iterable[int]], set[int]],
    ) -> list[SponsoredSlot]: ...


sponsored_sources: Registry[SponsoredSource] = Registry(
    "search.sponsored_sources",
    "Paid, labelled placements on search results (see SponsoredSource)",
)
