"""Extension points the catalog offers to other apps.

``featured_sources``: the shelves of the storefront home. Each source picks
some products for a visitor and says why (a title for the shelf and a
reason a person can read); the home renders every source that has something
to show, in registry order, each as its own labelled shelf. The core
registers three defaults — new arrivals (catalog), best sellers and top
rated (search, which keeps the sales and rating counts); later modules add
theirs (C2C promoted listings, social group buys, recommendations) by
registering in their ``AppConfig.ready()``:

    featured_sources.register("c2c.promoted", PromotedListings(), priority=20)

Contract for a source:

- ``featured(*, user, limit, language)`` returns a :class:`Shelf` or None
  (nothing to show: the shelf is left out). It is a read: no writes, no
  events, and it must not raise for an anonymous ``user``.
- It returns product *ids* only, best first, at most ``limit`` of them. The
  catalog turns them into cards itself and drops any product that is not
  public (a draft, a delisted or banned product, a frozen shop's), so a
  source can never put something on the home that a visitor may not see.
- ``title`` and ``reason`` are in ``language``: the caller activates it
  while the source runs, so plain ``gettext`` does.
- ``key`` is a stable slug (``"search.best_sellers"``), used as the shelf's
  HTML id and by tests.


``listing_policies``: may a shop put one more product on sale? Asked by
``services.set_product_status`` each time a product becomes ``listed``,
inside its transaction and under a lock on the shop row, so two products
listed at once are counted one after the other. Every policy is asked
(ordered by priority); the first refusal wins and nothing is changed. With
no policy registered, every shop may list without limit.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

from emporia.kernel.registry import Registry


@dataclass(frozen=True)
class Shelf:
    """What a featured source offers: a titled, explained list of product ids."""

    key: str
    title: str
    reason: str = ""
    product_ids: list[int] = field(default_factory=list)


class FeaturedSource(Protocol):
    def featured(self, *, user, limit: int, language: str | None) -> Shelf | None:
        """Up to ``limit`` product ids for this visitor with a title and a
        reason, or None when this source has nothing to show."""


featured_sources: Registry[FeaturedSource] = Registry(
    "catalog.featured_sources", "Shelves of products on the storefront home"
)


@dataclass(frozen=True)
class ListingRequest:
    """What a policy sees: the shop, its kind, the product about to be listed
    and how many of the shop's products are listed already (this one not
    counted)."""

    shop_id: int
    shop_kind: str
    product_id: int
    listed_count: int


@dataclass(frozen=True)
class ListingDecision:
    """``allowed`` False refuses the listing; ``reason`` is a sentence for the
    seller saying why and how the limit lifts."""

    allowed: bool
    reason: str = ""
    limit: int | None = None


class ListingPolicy(Protocol):
    def decide(self, request: ListingRequest) -> ListingDecision | None:
        """Return a decision for shops this policy governs, else None. Must
        not write; may read the database."""


listing_policies: Registry[ListingPolicy] = Registry(
    "catalog.listing_policies", "Whether a shop may list one more product"
)
