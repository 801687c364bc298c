"""Stock services: reservations, receipts, adjustments, expiry, locations."""

import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from emporia.core.inventory import selectors, services
from emporia.core.inventory.models import (
    Location,
    Reservation,
    StockItem,
    StockMovement,
)
from emporia.infra.jobs.registry import jobs
from emporia.kernel.errors import Conflict, NotFound, OutOfStock, ValidationFailed
from tests.factories import stock

pytestmark = pytest.mark.django_db


def counts(item):
    item.refresh_from_db()
    return (item.on_hand, item.reserved)


def test_a_multi_line_reservation_is_all_or_nothing(sku_factory, shop):
    a = stock(sku_factory(product__shop=shop), 5)
    b = stock(sku_factory(product__shop=shop), 1)

    with pytest.raises(OutOfStock):
        services.reserve(
            wanted=[
                services.Wanted(a.pk, 3, "order:1"),
                services.Wanted(b.pk, 2, "order:1"),
            ]
        )

    assert (counts(a), counts(b)) == ((5, 0), (1, 0))
    assert Reservation.objects.count() == 0


def test_two_lines_on_one_row_are_summed_before_checking(sku):
    item = stock(sku, 5)
    with pytest.raises(OutOfStock):
        services.reserve(
            wanted=[
                services.Wanted(item.pk, 3, "o:1"),
                services.Wanted(item.pk, 3, "o:1"),
            ]
        )
    assert counts(item) == (5, 0)


def test_release_gives_units_back_and_is_idempotent(sku):
    item = stock(sku, 5)
    services.reserve(wanted=[services.Wanted(item.pk, 4, "order:1")])
    assert services.release_reservations(refs=["order:1"]) == 1
    assert services.release_reservations(refs=["order:1"]) == 0
    assert services.commit_reservations(refs=["order:1"]) == 0
    assert counts(item) == (5, 0)


def test_the_expiry_job_releases_only_expired_holds(sku, frozen_clock):
    item = stock(sku, 10)
    now = frozen_clock()
    services.reserve(
        wanted=[services.Wanted(item.pk, 2, "order:old")],
        expires_at=now + dt.timedelta(minutes=15),
    )
    services.reserve(
        wanted=[services.Wanted(item.pk, 3, "order:new")],
        expires_at=now + dt.timedelta(minutes=30),
    )
    # a second hold of the first ref that expires later stays held
    services.reserve(
        wanted=[services.Wanted(item.pk, 1, "order:old")],
        expires_at=now + dt.timedelta(minutes=45),
    )
    services.reserve(wanted=[services.Wanted(item.pk, 1, "order:noexpiry")])
    job = jobs.get("inventory.expire_reservations")

    assert job.every_seconds == 30
    assert job.func() == 0
    frozen_clock.advance(minutes=15)
    assert job.func() == 1
    assert counts(item) == (10, 5)
    assert job.func() == 0

    frozen_clock.advance(minutes=20)
    assert job.func() == 1
    assert counts(item) == (10, 2)
    assert sorted(
        Reservation.objects.filter(status="held").values_list("ref", "quantity")
    ) == [("order:noexpiry", 1), ("order:old", 1)]


def test_receiving_goods_writes_a_receipt_movement(shop, sku_factory, user):
    sku = sku_factory(product__shop=shop)
    location = services.create_location(shop=shop, code="hz-1", name="Hangzhou")

    item = services.set_up_stock(
        shop=shop, sku_id=sku.pk, location_id=location.pk, quantity=12, actor=user
    )

    assert counts(item) == (12, 0)
    movement = item.movements.get()
    assert (movement.delta, movement.kind, movement.reason, movement.actor) == (
        12,
        StockMovement.Kind.RECEIPT,
        "Goods received",
        user,
    )


def test_setting_up_stock_with_another_shops_sku_or_location_is_not_found(
    shop, shop_factory, sku_factory, location_factory
):
    other = shop_factory()
    mine = services.create_location(shop=shop, code="a", name="A")
    theirs = location_factory(shop=other)
    my_sku = sku_factory(product__shop=shop)
    their_sku = sku_factory(product__shop=other)

    with pytest.raises(NotFound):
        services.set_up_stock(shop=shop, sku_id=their_sku.pk, location_id=mine.pk)
    with pytest.raises(NotFound):
        services.set_up_stock(shop=shop, sku_id=my_sku.pk, location_id=theirs.pk)
    assert StockItem.objects.count() == 0


def test_adjustments_record_actor_and_reason_and_respect_reservations(sku, user):
    item = stock(sku, 10)
    services.reserve(wanted=[services.Wanted(item.pk, 4, "order:1")])

    services.adjust_stock(
        stock_item=item, delta=-6, reason="broken in transit", actor=user
    )
    assert counts(item) == (4, 4)
    with pytest.raises(ValidationFailed, match="below the units reserved"):
        services.adjust_stock(stock_item=item, delta=-1, reason="lost", actor=user)
    with pytest.raises(ValidationFailed, match="Say why"):
        services.adjust_stock(stock_item=item, delta=1, reason="  ", actor=user)

    assert counts(item) == (4, 4)
    latest = selectors.movements(item.pk)[0][0]
    assert (latest.delta, latest.reason, latest.actor) == (
        -6,
        "broken in transit",
        user,
    )


def test_movements_page_newest_first(sku, frozen_clock):
    item = stock(sku, 1)
    for delta in (2, 3, 4):
        frozen_clock.advance(minutes=1)
        services.adjust_stock(stock_item=item, delta=delta, reason="count")
    rows, count = selectors.movements(item.pk, limit=2, offset=1)
    assert count == 4
    assert [m.delta for m in rows] == [3, 2]


def test_locations_are_validated(shop):
    services.create_location(
        shop=shop,
        code="sh-store",
        name="Shanghai store",
        kind=Location.Kind.STORE,
        latitude="31.2304",
        longitude="121.4737",
    )
    bad = [
        {"code": "Not A Slug", "name": "x"},
        {"code": "x", "name": ""},
        {"code": "x", "name": "x", "kind": "castle"},
        {"code": "x", "name": "x", "country": "CHN"},
        {"code": "x", "name": "x", "latitude": "91", "longitude": "0"},
        {"code": "x", "name": "x", "latitude": "0", "longitude": "-180.5"},
        {"code": "x", "name": "x", "latitude": "10"},
        {"code": "x", "name": "x", "latitude": "NaN", "longitude": "1"},
    ]
    for fields in bad:
        with pytest.raises(ValidationFailed):
            services.create_location(shop=shop, **fields)
    with pytest.raises(Conflict):
        services.create_location(shop=shop, code="sh-store", name="Again")
    assert list(Location.objects.values_list("code", flat=True)) == ["sh-store"]


def test_updating_a_location(shop):
    location = services.create_location(shop=shop, code="a", name="A")
    services.create_location(shop=shop, code="b", name="B")

    updated = services.update_location(
        location=location, name="Main", is_active=False, latitude=1, longitude=2
    )

    assert (updated.name, updated.is_active, str(updated.latitude)) == (
        "Main",
        False,
        "1.000000",
    )
    with pytest.raises(Conflict):
        services.update_location(location=location, code="b")
    with pytest.raises(ValidationFailed):
        services.update_location(location=location, latitude=None)
    location.refresh_from_db()
    assert (location.code, location.latitude is not None) == ("a", True)


# -- the invariant under any sequence of operations ------------------------------

operations = st.lists(
    st.one_of(
        st.tuples(st.just("receive"), st.integers(1, 20)),
        st.tuples(st.just("adjust"), st.integers(-20, 20).filter(bool)),
        st.tuples(st.just("reserve"), st.integers(1, 20)),
        st.tuples(st.just("commit"), st.integers(0, 9)),
        st.tuples(st.just("release"), st.integers(0, 9)),
        st.tuples(st.just("restock"), st.integers(1, 20)),
    ),
    max_size=25,
)


@settings(
    max_examples=50,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(ops=operations)
def test_movements_always_sum_to_on_hand_and_reserved_stays_within_it(sku, ops):
    item = stock(sku, 0)
    StockMovement.objects.filter(stock_item=item).delete()
    Reservation.objects.filter(stock_item=item).delete()
    StockItem.objects.filter(pk=item.pk).update(on_hand=0, reserved=0)
    refs = []
    for op, n in ops:
        try:
            if op == "receive":
                services.receive_stock(stock_item=item, quantity=n)
            elif op == "adjust":
                services.adjust_stock(stock_item=item, delta=n, reason="count")
            elif op == "reserve":
                ref = f"order:{len(refs)}"
                services.reserve(wanted=[services.Wanted(item.pk, n, ref)])
                refs.append(ref)
            elif op == "commit" and refs:
                services.commit_reservations(refs=[refs[n % len(refs)]])
            elif op == "release" and refs:
                services.release_reservations(refs=[refs[n % len(refs)]])
            elif op == "restock":
                services.restock(stock_item_id=item.pk, quantity=n, ref="return")
        except (OutOfStock, ValidationFailed):
            pass
        item.refresh_from_db()
        logged = sum(item.movements.values_list("delta", flat=True))
        assert logged == item.on_hand
        assert 0 <= item.reserved <= item.on_hand
        held = sum(
            Reservation.objects.filter(stock_item=item, status="held").values_list(
                "quantity", flat=True
            )
        )
        assert held == item.reserved
