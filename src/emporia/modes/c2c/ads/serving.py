"""Serving keyword ads on search: the ``search.sponsored_sources`` entry.

For a query, ``KeywordAds.sponsored``:

1. finds active keywords whose words match the query's words (in the
   process's eligible keyword map, ``eligible``, by each keyword's lead
   word, then checked here): *exact* — the keyword's words are exactly the
   query's; *broad* — all of the keyword's words are among the query's, in
   any order;
2. keeps ads that may run now: campaign active and within its dates and
   local hours, shop active, at least the bid left in today's budget and in
   the shop's available balance (both read live), product showable (listed,
   in stock — the core's check, made once per search);
3. one candidate per shop (its best score), ranked by bid × predicted CTR,
   priced by GSP (``auction``);
4. counts an impression per slot (batched, ``impressions``) and signs a
   click link carrying the slot's price (``clicks.sign``).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from fractions import Fraction

from django.db.models import Sum

from emporia.core.ledger import selectors as ledger_selectors
from emporia.core.ledger import services as ledger
from emporia.core.search.extensions import SponsoredSlot, Visitor

from ..models import AdKeyword, CampaignDay
from . import auction, clicks, config, eligible, impressions
from .eligible import EligibleAd

SOURCE = "c2c.ads"
PRIOR_TTL_SECONDS = 60.0

_prior_cache: dict[str, object] = {"at": -1e9, "value": None}


def matches(keyword_tokens: set[str], match: str, query_tokens: set[str]) -> bool:
    """Whether a keyword (its set of words) matches a query (its set of words)."""
    if not keyword_tokens:
        return False
    if match == AdKeyword.Match.EXACT:
        return keyword_tokens == query_tokens
    return keyword_tokens <= query_tokens


def platform_prior() -> tuple[Fraction, Fraction]:
    """The Beta prior of every keyword: mean = the platform's CTR over all
    keywords once they have ``ADS_PRIOR_MIN_IMPRESSIONS`` impressions, else
    ``ADS_PRIOR_CTR``; weight ``auction.PRIOR_WEIGHT``. Cached for a minute."""
    now = time.monotonic()
    if now - _prior_cache["at"] < PRIOR_TTL_SECONDS and _prior_cache["value"]:
        return _prior_cache["value"]
    totals = AdKeyword.objects.aggregate(c=Sum("clicks"), n=Sum("impressions"))
    clicks_, shown = int(totals["c"] or 0), int(totals["n"] or 0)
    mean = config.prior_ctr()
    if shown >= int(config.get("ADS_PRIOR_MIN_IMPRESSIONS")) and 0 < clicks_ < shown:
        mean = Fraction(clicks_, shown).limit_denominator(100_000)
    value = auction.beta_prior(mean)
    _prior_cache.update(at=now, value=value)
    return value


def reset_prior_cache() -> None:
    _prior_cache.update(at=-1e9, value=None)


def candidates(
    *, tokens: list[str], showable: Callable[[Iterable[int]], set[int]]
) -> list[tuple[EligibleAd, int]]:
    """(keyword, product id) pairs that may be shown for these query words
    now: from the eligible keyword map (``eligible``), then today's spend and
    the shops' balances (one query each) and ``showable`` (the core's check
    for this search)."""
    query = set(tokens)
    found = eligible.eligible_map()
    now = config.local_now()
    keywords = [
        ad
        for lead in query
        for ad in found.by_lead.get(lead, ())
        if matches(ad.tokens, ad.match, query) and ad.runs_at(now)
    ]
    if not keywords:
        return []
    campaigns = {ad.campaign_id for ad in keywords}
    spent = dict(
        CampaignDay.objects.filter(
            campaign_id__in=campaigns, day=now.date()
        ).values_list("campaign_id", "spent_minor")
    )
    codes = {
        ad.shop_id: ledger.shop_account(ad.shop_id, "payable", found.currency)
        for ad in keywords
    }
    balances = ledger_selectors.balances(sorted(set(codes.values())))
    keywords = [
        ad
        for ad in keywords
        if ad.bid_minor <= ad.daily_budget_minor - spent.get(ad.campaign_id, 0)
        and ad.bid_minor <= balances[codes[ad.shop_id]].minor
    ]
    shown = showable(p for ad in keywords for p in ad.product_ids)
    return [(ad, p) for ad in keywords for p in ad.product_ids if p in shown]


class KeywordAds:
    """The C2C keyword-ad source of sponsored slots (see module)."""

    def sponsored(
        self,
        *,
        query: str,
        tokens: list[str],
        visitor: Visitor,
        limit: int,
        showable: Callable[[Iterable[int]], set[int]],
    ) -> list[SponsoredSlot]:
        limit = min(limit, int(config.get("ADS_SLOTS")))
        pairs = candidates(tokens=tokens, showable=showable)
        if not pairs:
            return []
        prior = platform_prior()
        best: dict[int, auction.Candidate] = {}
        by_ref: dict[tuple[int, int], EligibleAd] = {}
        for keyword, product_id in pairs:
            candidate = auction.Candidate(
                ref=(keyword.pk, product_id),
                bid_minor=keyword.bid_minor,
                ctr=auction.predicted_ctr(
                    clicks=keyword.clicks, impressions=keyword.impressions, prior=prior
                ),
            )
            by_ref[candidate.ref] = keyword
            shop_id = keyword.shop_id
            held = best.get(shop_id)
            if held is None or auction.beats(candidate, held):
                best[shop_id] = candidate
        placements = auction.run_auction(
            list(best.values()), slots=limit, reserve_minor=config.reserve_minor()
        )
        impressions.record((by_ref[p.ref].pk for p in placements), config.today())
        slots = []
        for p in placements:
            keyword = by_ref[p.ref]
            slots.append(
                SponsoredSlot(
                    product_id=p.ref[1],
                    click_url=clicks.click_url(
                        keyword=keyword, product_id=p.ref[1], price_minor=p.price_minor
                    ),
                    source=SOURCE,
                    details={"keyword": keyword.text, "rank": p.rank},
                )
            )
        return slots
