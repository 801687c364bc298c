"""insert_objects, update_where and delete_where write what the ORM would."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.db.models import F
from django.db.models.functions import Greatest
from django.db.transaction import TransactionManagementError

from emporia.core.catalog.models import Sku
from emporia.core.checkout.models import Cart, CartLine
from emporia.core.search.models import SearchDocument
from emporia.infra import sql
from emporia.infra.outbox.models import OutboxEvent
from emporia.infra.sql import Add, delete_where, insert_objects, update_where
from tests.factories import ProductFactory, SkuFactory, UserFactory

pytestmark = pytest.mark.django_db

WHEN = dt.datetime(2026, 11, 11, 10, 30, 15, 123456, tzinfo=dt.UTC)


def fields(obj) -> dict:
    return {f.attname: getattr(obj, f.attname) for f in obj._meta.concrete_fields}


def test_inserted_rows_read_back_exactly_as_the_orm_writes_them(
    django_assert_num_queries,
):
    product = ProductFactory()

    def skus(prefix):
        return [
            Sku(
                product=product,
                code=f"{prefix}{i}",
                price=Decimal("12.3456"),
                attributes={"颜色": "红", "n": i},
                is_active=bool(i),
            )
            for i in range(3)
        ]

    ours, theirs = skus("C"), skus("D")

    with django_assert_num_queries(1):  # three rows, one INSERT … RETURNING
        returned = insert_objects(ours)
    Sku.objects.bulk_create(theirs)

    assert returned is ours
    assert all(s.pk is not None and not s._state.adding for s in ours)
    assert [s.pk for s in ours] == sorted(s.pk for s in ours)  # in order
    for mine, orm in zip(ours, theirs, strict=True):
        a, b = fields(Sku.objects.get(pk=mine.pk)), fields(Sku.objects.get(pk=orm.pk))
        assert {k: v for k, v in a.items() if k not in ("id", "code")} == {
            k: v for k, v in b.items() if k not in ("id", "code")
        }
    assert Sku.objects.get(pk=ours[0].pk).attributes == {"颜色": "红", "n": 0}
    assert Sku.objects.get(pk=ours[0].pk).price == Decimal("12.3456")


def test_datetimes_and_json_survive_the_round_trip():
    event = OutboxEvent(
        topic="t.x", version=1, payload={"a": [1, "二"]}, occurred_at=WHEN
    )

    insert_objects([event])

    row = OutboxEvent.objects.get(pk=event.pk)
    assert (row.occurred_at, row.payload, row.dispatched_at) == (
        WHEN,
        {"a": [1, "二"]},
        None,
    )


def test_more_rows_than_one_statement_may_carry_are_split():
    events = [
        OutboxEvent(topic="t.bulk", version=1, payload={"i": i}, occurred_at=WHEN)
        for i in range(4000)  # 8 columns each: past SQLite's parameter limit
    ]

    insert_objects(events)

    assert OutboxEvent.objects.filter(topic="t.bulk").count() == 4000
    assert len({e.pk for e in events}) == 4000
    assert OutboxEvent.objects.get(pk=events[-1].pk).payload == {"i": 3999}


def test_insert_refuses_saved_instances_and_mixed_models():
    product = ProductFactory()
    saved = SkuFactory(product=product)
    before = Sku.objects.count()

    with pytest.raises(TypeError, match="new instances of one model"):
        insert_objects([Sku(product=product, code="N", price=1), saved])
    with pytest.raises(TypeError, match="new instances of one model"):
        insert_objects([Sku(product=product, code="M", price=1), Cart()])

    assert Sku.objects.count() == before
    assert insert_objects([]) == []


def test_update_where_matches_filter_update(django_assert_num_queries):
    product = ProductFactory()
    a, b, c = (SkuFactory(product=product, price=Decimal("5")) for _ in range(3))

    with django_assert_num_queries(1):
        changed = update_where(
            Sku,
            {"price": Decimal("7.5000"), "attributes": {"k": "v"}},
            pk__in=[a.pk, b.pk],
            is_active=True,
        )
    Sku.objects.filter(pk=c.pk).update(price=Decimal("7.5000"), attributes={"k": "v"})

    assert changed == 2
    got = {s.pk: (s.price, s.attributes) for s in Sku.objects.all()}
    assert got == {pk: (Decimal("7.5000"), {"k": "v"}) for pk in (a.pk, b.pk, c.pk)}


def test_a_compare_and_swap_that_lost_changes_nothing():
    user = UserFactory()
    cart = Cart.objects.create(user=user)
    line = CartLine.objects.create(cart=cart, sku=SkuFactory(), quantity=2)

    assert update_where(CartLine, {"quantity": 9}, pk=line.pk, quantity=3) == 0
    assert update_where(CartLine, {"quantity": 9}, pk__in=[]) == 0

    line.refresh_from_db()
    assert line.quantity == 2


def document(sales_count: int) -> SearchDocument:
    product = ProductFactory()
    return SearchDocument.objects.create(
        product=product,
        shop_id=product.shop_id,
        category_path="/",
        body="x",
        min_price_minor=100,
        currency="CNY",
        sales_count=sales_count,
    )


def test_add_is_f_plus_and_add_with_a_floor_is_greatest():
    ours, theirs = document(3), document(3)

    for step in (4, -10, 2):
        update_where(SearchDocument, {"sales_count": Add(step, floor=0)}, pk=ours.pk)
        SearchDocument.objects.filter(pk=theirs.pk).update(
            sales_count=Greatest(F("sales_count") + step, 0)
        )
        ours.refresh_from_db()
        theirs.refresh_from_db()
        assert ours.sales_count == theirs.sales_count

    update_where(SearchDocument, {"sales_count": Add(-5)}, pk=ours.pk)
    ours.refresh_from_db()
    assert ours.sales_count == -3  # no floor: plain addition


def test_none_in_a_condition_is_is_null_as_in_filter():
    pending = OutboxEvent.objects.create(topic="t.a", payload={}, occurred_at=WHEN)
    done = OutboxEvent.objects.create(
        topic="t.a", payload={}, occurred_at=WHEN, dispatched_at=WHEN
    )

    changed = update_where(
        OutboxEvent, {"last_error": "x"}, topic="t.a", dispatched_at=None
    )

    assert changed == 1
    assert OutboxEvent.objects.get(pk=pending.pk).last_error == "x"
    assert OutboxEvent.objects.get(pk=done.pk).last_error == ""


def test_update_where_takes_a_model_instance_for_a_foreign_key():
    user = UserFactory()
    cart = Cart.objects.create(user=user)
    sku, other = SkuFactory(), SkuFactory()
    line = CartLine.objects.create(cart=cart, sku=sku, quantity=1)

    update_where(CartLine, {"sku": other}, pk=line.pk, cart=cart)

    line.refresh_from_db()
    assert line.sku_id == other.pk


def test_update_where_refuses_expressions_and_primary_keys():
    line = CartLine.objects.create(
        cart=Cart.objects.create(user=UserFactory()), sku=SkuFactory(), quantity=1
    )

    with pytest.raises(TypeError, match="expressions"):
        update_where(CartLine, {"quantity": F("quantity") + 1}, pk=line.pk)
    with pytest.raises(TypeError, match="cannot be updated"):
        update_where(CartLine, {"id": 99}, pk=line.pk)
    with pytest.raises(TypeError, match="where clause"):
        update_where(CartLine, {"quantity": 5})

    line.refresh_from_db()
    assert line.quantity == 1


def test_update_returning_claims_only_the_rows_that_still_match(
    django_assert_num_queries,
):
    cart = Cart.objects.create(user=UserFactory())
    a, b, c = (
        CartLine.objects.create(cart=cart, sku=SkuFactory(), quantity=q)
        for q in (1, 2, 3)
    )
    CartLine.objects.filter(pk=c.pk).update(added_at=WHEN)

    with django_assert_num_queries(1):
        claimed = update_where(
            CartLine,
            {"quantity": 9},
            returning=("pk", "sku_id", "added_at"),
            pk__in=[a.pk, c.pk],
            quantity__in=[1, 3],
        )
    # values come back as the ORM reads them (a datetime, not SQLite's text)
    assert sorted(claimed) == [
        (a.pk, a.sku_id, CartLine.objects.get(pk=a.pk).added_at),
        (c.pk, c.sku_id, WHEN),
    ]
    # a second claim finds nothing left to claim, and changes nothing
    again = update_where(
        CartLine,
        {"quantity": 7},
        returning=("pk",),
        pk__in=[a.pk, c.pk],
        quantity__in=[1, 3],
    )
    assert again == []
    assert dict(CartLine.objects.values_list("pk", "quantity")) == {
        a.pk: 9,
        b.pk: 2,
        c.pk: 9,
    }


def test_one_statement_is_built_per_shape():
    line = CartLine.objects.create(
        cart=Cart.objects.create(user=UserFactory()), sku=SkuFactory(), quantity=1
    )
    sql._UPDATES.clear()

    for quantity in (2, 3, 4):
        update_where(CartLine, {"quantity": quantity}, pk=line.pk)
    update_where(CartLine, {"quantity": 5}, pk__in=[line.pk])
    update_where(CartLine, {"quantity": 6}, pk__in=list(range(1000)))  # too long

    assert len(sql._UPDATES) == 2
    line.refresh_from_db()
    assert line.quantity == 6


def test_delete_where_deletes_only_the_matching_rows():
    cart = Cart.objects.create(user=UserFactory())
    other_cart = Cart.objects.create(user=UserFactory())
    a, b, c = SkuFactory(), SkuFactory(), SkuFactory()
    for sku in (a, b, c):
        CartLine.objects.create(cart=cart, sku=sku, quantity=1)
    kept = CartLine.objects.create(cart=other_cart, sku=a, quantity=1)

    assert delete_where(CartLine, cart_id=cart.pk, sku_id__in=[a.pk, b.pk]) == 2
    assert delete_where(CartLine, cart_id=cart.pk, sku_id__in=[]) == 0

    assert sorted(CartLine.objects.values_list("pk", flat=True)) == sorted(
        [kept.pk, CartLine.objects.get(cart=cart, sku=c).pk]
    )


def test_delete_where_refuses_rows_that_others_reference():
    cart = Cart.objects.create(user=UserFactory())
    CartLine.objects.create(cart=cart, sku=SkuFactory(), quantity=1)

    with pytest.raises(TypeError, match="dependent rows"):
        delete_where(Cart, pk=cart.pk)  # its lines would be left dangling

    assert Cart.objects.filter(pk=cart.pk).exists()
    assert CartLine.objects.filter(cart=cart).count() == 1


def test_values_of_another_type_are_converted_by_their_fields_as_the_orm_does():
    # A str, int, bool or None passes to the driver as it is only where the
    # field would hand it over unchanged; anything else goes through the field.
    product = ProductFactory()
    # "t" for a BooleanField: stored as it is, it would read back False
    ours, theirs = (
        Sku(product=product, code=code, price=7, is_active="t", weight_grams="250")
        for code in (123, 124)
    )

    insert_objects([ours])  # unwatched: the statement skips Django's cursor wrapper
    Sku.objects.bulk_create([theirs])

    a, b = Sku.objects.get(pk=ours.pk), Sku.objects.get(pk=theirs.pk)
    assert (a.code, a.price, a.is_active, a.weight_grams) == ("123", 7, True, 250)
    assert (b.code, b.price, b.is_active, b.weight_grams) == ("124", 7, True, 250)


def test_unwatched_statements_still_raise_djangos_errors_and_respect_broken_transactions():
    product = ProductFactory()
    SkuFactory(product=product, code="TAKEN")
    before = Sku.objects.count()

    with pytest.raises(IntegrityError), transaction.atomic():  # Django's error
        insert_objects([Sku(product=product, code="TAKEN", price=1)])
    with transaction.atomic():
        # a failed statement inside atomic() with no savepoint breaks the
        # transaction: the next compiled statement refuses to run in it
        with pytest.raises(IntegrityError), transaction.atomic(savepoint=False):
            insert_objects([Sku(product=product, code="TAKEN", price=1)])
        with pytest.raises(TransactionManagementError):
            update_where(Sku, {"price": 2}, product=product)
        transaction.set_rollback(True)

    assert Sku.objects.count() == before
    assert not Sku.objects.filter(price=2).exists()
