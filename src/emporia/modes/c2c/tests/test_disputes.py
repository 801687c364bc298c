"""Escrow disputes: open, answer, rule — every money path in the ledger."""

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from PIL import Image

from emporia.core.ledger.models import JournalEntry
from emporia.core.orders import services as orders
from emporia.core.payments.models import Refund
from emporia.infra.jobs.services import run_job
from emporia.kernel.errors import (
    Conflict,
    NotFound,
    PermissionDenied,
    ValidationFailed,
)
from emporia.kernel.money import Money
from emporia.modes.c2c.models import Dispute, DisputeEvidence
from emporia.modes.c2c.services import disputes

from .trust_helpers import balances, ship

pytestmark = pytest.mark.django_db


HELD = {"escrow": 10000, "payable": 0, "commission": 0, "clearing": 10000}


def png(name="photo.png", size=(4, 4)):
    buf = io.BytesIO()
    Image.new("RGB", size, "red").save(buf, format="PNG")
    return SimpleUploadedFile(name, buf.getvalue(), content_type="image/png")


def seller_of(order):
    return order.shop.members.get().user


def opened(order, reason="not_as_described"):
    return disputes.open_dispute(
        order=order, buyer=order.buyer, reason=reason, text="The mug was cracked"
    )


def answered(order):
    dispute = opened(order)
    return disputes.answer_dispute(
        dispute=dispute, by=seller_of(order), text="It left us whole"
    )


def test_buyer_opens_with_text_and_image_and_the_seller_answers(
    frozen_clock, delivered_order
):
    order = delivered_order("100.00")
    dispute = disputes.open_dispute(
        order=order,
        buyer=order.buyer,
        reason="not_as_described",
        text="Cracked",
        image=png(),
    )
    assert dispute.status == "open"
    assert dispute.answer_by == frozen_clock() + dt.timedelta(days=3)
    disputes.answer_dispute(
        dispute=dispute, by=seller_of(order), text="Packed well", image=png()
    )
    dispute.refresh_from_db()
    assert dispute.status == "answered"
    assert [(e.party, e.text, bool(e.image)) for e in dispute.evidence.all()] == [
        ("buyer", "Cracked", True),
        ("seller", "Packed well", True),
    ]
    assert [
        (h.from_status, h.to_status, h.actor_kind) for h in dispute.history.all()
    ] == [
        ("", "open", "buyer"),
        ("open", "answered", "shop"),
    ]
    assert balances(order.shop_id) == HELD


def test_full_refund_returns_everything_from_escrow(operator, delivered_order):
    order = delivered_order("100.00")
    dispute = answered(order)
    disputes.rule_dispute(
        dispute=dispute, operator=operator, outcome="refund_full", note="Photo shows it"
    )
    order.refresh_from_db()
    dispute.refresh_from_db()
    assert (dispute.status, dispute.outcome, dispute.refund_minor) == (
        "ruled",
        "refund_full",
        10000,
    )
    assert order.status == "refunded"
    assert balances(order.shop_id) == {
        "escrow": 0,
        "payable": 0,
        "commission": 0,
        "clearing": 0,
    }


def test_partial_refund_then_the_rest_is_released(operator, delivered_order):
    # given a ¥100 order at 5 % commission under dispute
    order = delivered_order("100.00")
    dispute = answered(order)
    # when the operator refunds ¥30
    disputes.rule_dispute(
        dispute=dispute,
        operator=operator,
        outcome="refund_partial",
        note="Minor damage",
        refund=Money(3000, "CNY"),
    )
    # then 30 went back, and 70 was released: 66.50 to the shop, 3.50 commission
    order.refresh_from_db()
    assert order.status == "completed"
    assert order.settled_at is not None
    assert balances(order.shop_id) == {
        "escrow": 0,
        "payable": 6650,
        "commission": 350,
        "clearing": 7000,
    }
    assert list(
        JournalEntry.objects.filter(ref=f"order:{order.pk}")
        .order_by("id")
        .values_list("kind", flat=True)
    ) == ["payment_capture", "refund", "escrow_release"]


def test_release_of_a_parcel_never_scanned_delivers_and_settles(
    operator, frozen_clock, c2c_order
):
    # given a shipped order the buyer says never arrived; the seller is silent
    order = c2c_order("100.00")
    ship(order)
    dispute = opened(order, reason="not_received")
    frozen_clock.advance(days=3, minutes=1)
    # when the operator releases the money to the seller
    disputes.rule_dispute(
        dispute=dispute, operator=operator, outcome="release", note="Signed for"
    )
    # then the order is delivered, completed and paid out to the shop
    order.refresh_from_db()
    statuses = [h.to_status for h in order.history.all()]
    assert statuses[-2:] == ["delivered", "completed"]
    assert order.history.last().actor_kind == "operator"
    assert balances(order.shop_id) == {
        "escrow": 0,
        "payable": 9500,
        "commission": 500,
        "clearing": 10000,
    }


def test_ruling_after_auto_complete_settles_the_held_remainder(
    operator, frozen_clock, delivered_order
):
    order = delivered_order("100.00")
    dispute = answered(order)
    frozen_clock.advance(days=11)
    run_job("orders.auto_complete")
    assert balances(order.shop_id) == HELD
    disputes.rule_dispute(
        dispute=dispute,
        operator=operator,
        outcome="refund_partial",
        note="Half",
        refund=Money(5000, "CNY"),
    )
    order.refresh_from_db()
    assert order.status == "completed"
    assert balances(order.shop_id) == {
        "escrow": 0,
        "payable": 4750,
        "commission": 250,
        "clearing": 5000,
    }


def test_withdrawing_after_completion_releases_the_money(frozen_clock, delivered_order):
    order = delivered_order("100.00")
    dispute = opened(order)
    frozen_clock.advance(days=11)
    run_job("orders.auto_complete")
    disputes.withdraw_dispute(dispute=dispute, buyer=order.buyer)
    assert balances(order.shop_id)["payable"] == 9500
    assert balances(order.shop_id)["escrow"] == 0


def test_a_dispute_cannot_be_opened_after_the_money_was_released(delivered_order):
    order = delivered_order()
    orders.confirm_receipt(order=order, buyer=order.buyer)
    with translation.override("en"), pytest.raises(Conflict, match="released"):
        opened(order)
    assert Dispute.objects.count() == 0


def test_a_dispute_cannot_be_opened_before_shipping(c2c_order):
    order = c2c_order()
    with translation.override("en"), pytest.raises(Conflict, match="after shipping"):
        opened(order)
    assert Dispute.objects.count() == 0


def test_one_dispute_per_order(delivered_order):
    order = delivered_order()
    opened(order)
    with (
        translation.override("en"),
        pytest.raises(Conflict, match="already has a dispute"),
    ):
        opened(order)
    assert Dispute.objects.count() == 1


def test_strangers_are_refused_everywhere(user, operator, delivered_order):
    order = delivered_order()
    with pytest.raises(NotFound):
        disputes.open_dispute(order=order, buyer=user, reason="not_received", text="x")
    dispute = opened(order)
    with pytest.raises(NotFound):
        disputes.answer_dispute(dispute=dispute, by=user, text="x")
    with pytest.raises(PermissionDenied):
        disputes.answer_dispute(dispute=dispute, by=order.buyer, text="x")
    with pytest.raises(NotFound):
        disputes.add_evidence(dispute=dispute, by=user, text="x")
    with pytest.raises(NotFound):
        disputes.withdraw_dispute(dispute=dispute, buyer=user)
    with pytest.raises(PermissionDenied):
        disputes.rule_dispute(
            dispute=dispute, operator=seller_of(order), outcome="release", note="x"
        )
    dispute.refresh_from_db()
    assert dispute.status == "open"
    assert DisputeEvidence.objects.count() == 1
    assert balances(order.shop_id) == HELD


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"reason": "angry"}, "reason"),
        ({"text": "   "}, "text"),
        ({"text": "x" * 2001}, "text"),
        ({"image": SimpleUploadedFile("a.png", b"not an image")}, "image"),
        ({"image": SimpleUploadedFile("a.png", b"")}, "image"),
    ],
)
def test_bad_dispute_input_is_refused_and_nothing_is_written(
    delivered_order, kwargs, field
):
    order = delivered_order()
    args = {"reason": "not_received", "text": "Missing", **kwargs}
    with pytest.raises(ValidationFailed) as err:
        disputes.open_dispute(order=order, buyer=order.buyer, **args)
    assert err.value.details["field"] == field
    assert Dispute.objects.count() == 0
    assert DisputeEvidence.objects.count() == 0


def test_an_oversized_image_is_refused(settings, delivered_order):
    settings.EMPORIA = {**settings.EMPORIA, "C2C_EVIDENCE_MAX_BYTES": 100}
    order = delivered_order()
    with translation.override("en"), pytest.raises(ValidationFailed, match="at most"):
        disputes.open_dispute(
            order=order,
            buyer=order.buyer,
            reason="not_received",
            text="x",
            image=png(size=(200, 200)),
        )
    assert Dispute.objects.count() == 0


def test_the_operator_waits_for_the_answer_window(
    operator, frozen_clock, delivered_order
):
    order = delivered_order()
    dispute = opened(order)
    with translation.override("en"), pytest.raises(Conflict, match="may still answer"):
        disputes.rule_dispute(
            dispute=dispute, operator=operator, outcome="release", note="x"
        )
    frozen_clock.advance(days=3, minutes=1)
    with translation.override("en"), pytest.raises(Conflict, match="passed"):
        disputes.answer_dispute(dispute=dispute, by=seller_of(order), text="late")
    disputes.rule_dispute(
        dispute=dispute, operator=operator, outcome="release", note="Silent buyer"
    )
    assert Dispute.objects.get(pk=dispute.pk).status == "ruled"


@pytest.mark.parametrize("minor", [0, -1, 10001])
def test_a_partial_refund_must_fit_what_is_left(operator, delivered_order, minor):
    order = delivered_order("100.00")
    dispute = answered(order)
    with (
        translation.override("en"),
        pytest.raises(ValidationFailed, match=r"more than 0 and at most 100\.00"),
    ):
        disputes.rule_dispute(
            dispute=dispute,
            operator=operator,
            outcome="refund_partial",
            note="x",
            refund=Money(minor, "CNY"),
        )
    assert Dispute.objects.get(pk=dispute.pk).status == "answered"
    assert Refund.objects.count() == 0
    assert balances(order.shop_id) == HELD


def test_a_ruled_dispute_cannot_be_ruled_again(operator, delivered_order):
    order = delivered_order("100.00")
    dispute = answered(order)
    disputes.rule_dispute(
        dispute=dispute, operator=operator, outcome="refund_full", note="x"
    )
    stale = Dispute.objects.get(pk=dispute.pk)
    stale.status = "answered"
    with (
        translation.override("en"),
        pytest.raises(Conflict, match="ruled by the platform already"),
    ):
        disputes.rule_dispute(
            dispute=stale, operator=operator, outcome="release", note="y"
        )
    assert Refund.objects.count() == 1
