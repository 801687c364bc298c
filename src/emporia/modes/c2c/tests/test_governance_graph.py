"""Governance on a generated marketplace with planted rings and sock puppets:
the fakes must be found (recall ≥ 0.9) and honest trades left alone
(precision ≥ 0.9). Precision and recall are printed (run with -s) and
recorded as test properties."""

from __future__ import annotations

import pytest

from emporia.modes.c2c.governance import config, scoring, synthetic
from emporia.modes.c2c.models import TradeAssessment


@pytest.mark.django_db
@pytest.mark.parametrize("seed", [11, 23])
def test_planted_rings_and_sock_puppets_are_found_and_honest_buyers_are_not(
    seed, frozen_clock, record_property, settings
):
    settings.EMPORIA = {
        **settings.EMPORIA,
        "C2C_GOVERNANCE": {"AUTO_PENALTY_SCORE": None},
    }
    world = synthetic.generate(
        orders=6000, now=frozen_clock.current, seed=seed, rings=4, puppet_clusters=4
    )

    scored = scoring.rescore_all()

    flagged = set(
        TradeAssessment.objects.filter(score__gte=config.get("FLAG_SCORE")).values_list(
            "order_id", flat=True
        )
    )
    true_positives = len(flagged & world.fake_order_ids)
    precision = true_positives / len(flagged)
    recall = true_positives / len(world.fake_order_ids)
    print(
        f"\ngovernance on {world.orders} orders ({len(world.fake_order_ids)} planted "
        f"fakes, {len(world.ring_members)} rings): flagged {len(flagged)}, "
        f"precision {precision:.3f}, recall {recall:.3f}"
    )
    record_property("precision", round(precision, 3))
    record_property("recall", round(recall, 3))
    assert scored == world.orders
    assert precision >= 0.9
    assert recall >= 0.9
    assert len(world.ring_members) == 4
