"""CompiledQuery: a queryset compiled once gives exactly what the ORM gives."""

from decimal import Decimal

import pytest
from django.db.models import F, Sum

from emporia.core.catalog.models import Product, Sku
from emporia.core.inventory.models import StockItem
from emporia.infra.sql import CompiledQuery
from emporia.modes.c2c.models import TradeScoreRequest
from tests.factories import ProductFactory, SkuFactory, stock

pytestmark = pytest.mark.django_db


def fields(obj) -> dict:
    return {f.attname: getattr(obj, f.attname) for f in obj._meta.concrete_fields}


@pytest.fixture
def skus():
    product = ProductFactory(names={"en": "Silk scarf", "zh-hans": "真丝围巾"})
    a = SkuFactory(product=product, price=Decimal("12.3456"), attributes={"颜色": "红"})
    b = SkuFactory(product=product, price=Decimal("0.0100"), is_active=False)
    stock(a, 7)
    stock(b, 2)
    return a, b


def test_model_instances_with_select_related_match_the_orm(
    skus, django_assert_num_queries
):
    def build(product_id):
        return (
            Sku.objects.filter(product_id=product_id)
            .select_related("product__shop")
            .order_by("pk")
        )

    q = CompiledQuery(build, product_id=int)
    expected = list(build(skus[0].product_id))
    with django_assert_num_queries(1):  # the related objects come with it
        got = q.all(product_id=skus[0].product_id)
        assert [fields(s) for s in got] == [fields(s) for s in expected]
        assert [fields(s.product) for s in got] == [fields(s.product) for s in expected]
        assert got[0].product.shop.name == expected[0].product.shop.name
    # converted on the way out, as the ORM does: Decimal, JSON, bool, datetime
    assert got[0].price == Decimal("12.3456")
    assert got[0].attributes == {"颜色": "红"}
    assert got[1].is_active is False
    assert got[0].product.created_at == expected[0].product.created_at


def test_it_compiles_once_and_runs_again_with_new_values(skus):
    built = []

    def build(code):
        built.append(code)
        return Sku.objects.filter(code=code)

    q = CompiledQuery(build, code=str)
    assert q.first(code=skus[0].code).pk == skus[0].pk
    assert q.first(code=skus[1].code).pk == skus[1].pk
    assert q.first(code="no such code") is None
    assert q.all(code="'; DROP TABLE catalog_sku; --") == []  # a value, not SQL
    assert len(built) == 1
    assert Sku.objects.count() == 2


def test_values_lists_and_annotations_match_the_orm(skus):
    product_id = skus[0].product_id

    def avail(product_id):
        return (
            StockItem.objects.filter(sku__product_id=product_id)
            .values("sku_id")
            .annotate(avail=Sum(F("on_hand") - F("reserved")))
            .order_by("sku_id")
            .values_list("sku_id", "avail")
        )

    assert (
        CompiledQuery(avail, product_id=int).all(product_id=product_id)
        == list(avail(product_id))
        == [(skus[0].pk, 7), (skus[1].pk, 2)]
    )

    def prices(product_id):
        return Sku.objects.filter(product_id=product_id).order_by("pk")

    flat = CompiledQuery(
        lambda product_id: prices(product_id).values_list("price", flat=True),
        product_id=int,
    )
    assert flat.all(product_id=product_id) == [Decimal("12.3456"), Decimal("0.0100")]
    dicts = CompiledQuery(
        lambda product_id: prices(product_id).values("code", "is_active"),
        product_id=int,
    )
    assert dicts.all(product_id=product_id) == list(
        prices(product_id).values("code", "is_active")
    )


def test_a_lookup_that_rewrites_its_value_is_refused_when_compiled(skus):
    q = CompiledQuery(
        lambda word: Product.objects.filter(slug__icontains=word), word=str
    )
    with pytest.raises(TypeError, match="does not reach the SQL unchanged"):
        q.all(word="silk")


def test_values_of_the_wrong_type_or_name_are_refused(skus):
    q = CompiledQuery(lambda pk: Sku.objects.filter(pk=pk), pk=int)
    with pytest.raises(TypeError, match="pk must be int, not str"):
        q.all(pk="1")
    with pytest.raises(TypeError, match="must be int, not bool"):
        q.all(pk=True)
    with pytest.raises(TypeError, match="expected parameters"):
        q.all(id=1)
    with pytest.raises(TypeError, match="only int, str and list"):
        CompiledQuery(lambda when: Sku.objects.all(), when=float)


def test_a_list_parameter_serves_in_lookups_of_any_length(skus):
    a, b = skus
    q = CompiledQuery(
        lambda ids: (
            Sku.objects.filter(pk__in=ids).order_by("pk").values_list("pk", flat=True)
        ),
        ids=list,
    )
    assert q.all(ids=[a.pk]) == [a.pk]
    assert q.all(ids=[b.pk, a.pk, 10**9]) == [a.pk, b.pk]
    assert q.all(ids=[]) == []  # the ORM's answer, as for lists past MAX_LIST
    many = [*range(10**8, 10**8 + CompiledQuery.MAX_LIST), b.pk]
    assert q.all(ids=many) == [b.pk]
    with pytest.raises(TypeError, match="ids must be list, not set"):
        q.all(ids={a.pk})


def test_a_list_of_strings_serves_in_lookups_too(skus):
    a, b = skus
    q = CompiledQuery(
        lambda codes: (
            Sku.objects.filter(code__in=codes)
            .order_by("pk")
            .values_list("pk", flat=True)
        ),
        codes=list,
    )
    assert q.all(codes=[b.code]) == [b.pk]
    assert q.all(codes=[b.code, a.code, "none"]) == [a.pk, b.pk]
    # a list of ints of the same length is another plan, not a mix-up
    ids = CompiledQuery(
        lambda ids: Sku.objects.filter(pk__in=ids).values_list("code", flat=True),
        ids=list,
    )
    assert ids.all(ids=[a.pk]) == [a.code]
    assert q.all(codes=[a.code]) == [a.pk]


def test_a_big_integer_parameter_works_where_the_backend_wraps_it():
    # PostgreSQL's backend hands a BigIntegerField's value to psycopg as Int8
    first = TradeScoreRequest.objects.create(order_id=3_000_000_000)
    TradeScoreRequest.objects.create(order_id=7)
    q = CompiledQuery(
        lambda order_id: (
            TradeScoreRequest.objects.filter(order_id=order_id)
            .values_list("pk", flat=True)
            .order_by("pk")
        ),
        order_id=int,
    )

    assert q.all(order_id=3_000_000_000) == [first.pk]
    assert q.all(order_id=8) == []
