from __future__ import annotations

from decimal import Decimal

import pytest
from django.utils import translation

from emporia.core.accounts.models import Shop
from emporia.core.catalog import services as catalog
from emporia.core.search import selectors, services, text
from emporia.core.search.models import SearchDocument, ShopDemotion
from emporia.infra.outbox.services import relay_pending
from emporia.kernel.errors import ValidationFailed

from .titles import TITLES

pytestmark = pytest.mark.django_db

DRESSES = ("chiffon", "puff", "silk", "lbd")


def found(**kwargs) -> set[int]:
    return {item["id"] for item in selectors.search(page_size=100, **kwargs).items}


def order(**kwargs) -> list[int]:
    return [item["id"] for item in selectors.search(page_size=100, **kwargs).items]


# -- tokenizer ----------------------------------------------------------------


def test_index_tokens_segment_chinese_and_lowercase_latin():
    assert text.index_tokens("女装连衣裙 Slim-fit DRESS！😀") == [
        "女装",
        "连衣",
        "衣裙",
        "连衣裙",
        "slim",
        "fit",
        "dress",
    ]


def test_query_tokens_are_distinct_longest_words():
    assert text.query_tokens("女装连衣裙 连衣裙 dress Dress") == [
        "女装",
        "连衣裙",
        "dress",
    ]


def test_query_tokens_drop_operators_punctuation_and_emoji():
    assert text.query_tokens('"NEAR(a b)" OR * ) 🎉') == ["near", "a", "b", "or"]
    assert text.query_tokens("🎉👗!!!") == []


def test_query_is_cut_to_200_characters_and_32_words():
    assert text.query_tokens("x" * 10_000) == ["x" * 64]
    assert len(text.query_tokens(" ".join(f"w{i}" for i in range(100)))) == 32


# -- the index follows the catalog --------------------------------------------


def test_document_holds_facts_and_words(shelf, tree, seller_shop):
    doc = SearchDocument.objects.get(product=shelf["chiffon"])

    assert doc.shop_id == seller_shop.pk
    assert doc.category_path == tree["dresses"].path
    assert (doc.min_price, doc.min_price_minor, doc.currency) == (
        Decimal("159.0000"),
        15900,
        "CNY",
    )
    assert doc.listed is True
    words = doc.body.split()
    for word in ("连衣裙", "碎花", "chiffon", "女装", "dresses", "蓝", "m"):
        assert word in words


def test_renaming_reindexes_after_relay(shelf, seller, ids):
    catalog.update_product(
        product_id=shelf["bottle"].pk,
        by=seller,
        names={"zh-hans": "钛合金登山水壶"},
    )
    relay_pending()

    assert found(query="登山水壶") == ids("bottle")
    assert found(query="保温杯") == set()


def test_delisted_products_leave_results(shelf, seller, ids):
    catalog.set_product_status(
        product_id=shelf["silk"].pk, by=seller, status="delisted"
    )
    relay_pending()

    assert found(query="真丝") == set()
    assert found(query="连衣裙") == ids("chiffon", "puff", "lbd", "girls")


def test_drafts_are_never_found(shelf, seller, seller_shop, tree):
    catalog.create_product(
        shop_id=seller_shop.pk,
        by=seller,
        names={"zh-hans": "未上架的羊绒连衣裙"},
        category_id=tree["dresses"].pk,
        skus=[{"code": "D", "attributes": {}, "price": "1", "currency": "CNY"}],
    )
    relay_pending()

    assert found(query="羊绒") == set()


def test_products_of_frozen_shops_are_hidden(shelf, seller_shop):
    Shop.objects.filter(pk=seller_shop.pk).update(status=Shop.Status.FROZEN)

    assert selectors.search(query="连衣裙").total == 0


def test_price_change_moves_the_price_facts(shelf, seller, ids):
    sku = shelf["watch"].skus.get()
    catalog.update_sku(sku_id=sku.pk, by=seller, price="999.00")
    relay_pending()

    assert found(query="手表", max_price=Decimal("1000")) == ids("watch")


# -- Chinese and English matching ---------------------------------------------


def test_chinese_word_finds_titles_containing_it(shelf, ids):
    assert found(query="连衣裙") == ids(*DRESSES, "girls")


def test_every_word_must_match(shelf, ids):
    assert found(query="女装连衣裙") == ids(*DRESSES)
    assert found(query="蓝牙耳机") == ids("xiaomi", "headphones")


def test_mixed_chinese_and_english(shelf, ids):
    assert found(query="Apple 耳机") == ids("airpods")
    assert found(query="蓝牙 headphones") == ids("headphones")
    assert found(query="iPhone 手机壳") == ids("case")


def test_english_is_case_insensitive(shelf, ids):
    expected = ids("chiffon", "puff", "girls", "silk", "lbd")

    assert found(query="dress") == expected
    assert found(query="DRESS") == expected


def test_brand_category_and_attribute_words_are_searchable(shelf, ids):
    assert found(query="小米") == ids("xiaomi")
    assert found(query="食品") == ids("puer", "apples", "nuts", "longjing")
    assert found(query="500ml") == ids("bottle")


@pytest.mark.parametrize(
    "query",
    [
        '"',
        '""',
        "*",
        "连衣裙*",
        "NEAR(连衣裙 雪纺)",
        "连衣裙 OR 耳机",
        "连衣裙 AND NOT 雪纺",
        "((((",
        ")",
        "body:连衣裙",
        "^连衣裙",
        "'; DROP TABLE search_searchdocument; --",
        "x" * 10_000,
        "连衣裙" * 3000,
        "🎉👗🔥",
        "\\",
        "-",
        "\x00",
        "%",
        "a & b | !c",
        "'连衣裙'",
    ],
)
def test_hostile_queries_never_error(shelf, query):
    results = selectors.search(query=query, sort="relevance")

    assert results.total >= 0
    assert SearchDocument.objects.count() == len(TITLES)


def test_operators_in_a_query_are_plain_words(shelf, ids):
    assert found(query="连衣裙 OR 耳机") == set()
    assert found(query="NEAR(连衣裙 雪纺)") == set()
    assert found(query='"雪纺"*') == ids("chiffon")


# -- browse, filters, sorts, pages --------------------------------------------


def test_empty_query_browses_everything_newest_first(shelf):
    results = selectors.search(query="", page_size=100)

    assert results.total == 30
    assert [i["id"] for i in results.items] == [
        shelf[row[0]].pk for row in reversed(TITLES)
    ]


def test_category_filter_includes_descendants(shelf, tree, ids):
    assert found(category_id=tree["apparel"].pk) == ids(
        "chiffon",
        "puff",
        "cardigan",
        "jeans",
        "tshirt",
        "blazer",
        "down",
        "girls",
        "silk",
        "yoga",
        "running",
        "lbd",
    )
    assert found(query="耳机", category_id=tree["audio"].pk) == ids(
        "xiaomi", "headphones", "airpods"
    )
    assert found(category_id=999_999) == set()


def test_shop_filter(shelf, listed_product, shop_factory, seller, ids):
    other = shop_factory(name="分店", owner=seller)
    elsewhere = listed_product(
        "other", "雪纺连衣裙别家款", None, "dresses", "10.00", shop=other
    )
    relay_pending()

    assert found(query="雪纺", shop_id=other.pk) == {elsewhere.pk}
    assert found(query="雪纺") == ids("chiffon") | {elsewhere.pk}


def test_price_range_and_price_sorts(shelf, ids):
    within = dict(query="连衣裙", min_price=Decimal("150"), max_price=Decimal("260"))

    assert order(sort="price_asc", **within) == [
        shelf["chiffon"].pk,
        shelf["puff"].pk,
        shelf["lbd"].pk,
    ]
    assert order(sort="price_desc", **within) == [
        shelf["lbd"].pk,
        shelf["puff"].pk,
        shelf["chiffon"].pk,
    ]


def test_sales_sort(shelf):
    services.record_sales(product_id=shelf["puff"].pk, quantity=50)
    services.record_sales(product_id=shelf["silk"].pk, quantity=7)
    services.record_sales(product_id=shelf["silk"].pk, quantity=100)

    assert order(query="女装连衣裙", sort="sales") == [
        shelf["silk"].pk,
        shelf["puff"].pk,
        shelf["lbd"].pk,
        shelf["chiffon"].pk,
    ]


def test_rating_sort_puts_unrated_last(shelf):
    services.set_rating(product_id=shelf["chiffon"].pk, average=Decimal("4.2"))
    services.set_rating(product_id=shelf["lbd"].pk, average=Decimal("4.9"))

    assert order(query="女装连衣裙", sort="rating") == [
        shelf["lbd"].pk,
        shelf["chiffon"].pk,
        shelf["silk"].pk,
        shelf["puff"].pk,
    ]


def test_sales_and_rating_survive_reindex(shelf):
    services.record_sales(product_id=shelf["nuts"].pk, quantity=3)
    services.set_rating(product_id=shelf["nuts"].pk, average=Decimal("5"))

    services.reindex_all()

    doc = SearchDocument.objects.get(product=shelf["nuts"])
    assert (doc.sales_count, doc.rating_average) == (3, Decimal("5.00"))


def test_bad_rating_is_refused(shelf):
    with pytest.raises(ValidationFailed):
        services.set_rating(product_id=shelf["nuts"].pk, average=Decimal("5.5"))

    assert SearchDocument.objects.get(product=shelf["nuts"]).rating_average is None


def test_newest_sort(shelf):
    assert order(query="女装连衣裙", sort="newest") == [
        shelf["lbd"].pk,
        shelf["silk"].pk,
        shelf["puff"].pk,
        shelf["chiffon"].pk,
    ]


def test_relevance_prefers_more_occurrences(shelf, listed_product):
    heavy = listed_product(
        "heavy", "雪纺雪纺雪纺衬衫", "Chiffon chiffon blouse", "women", "50.00"
    )
    relay_pending()

    assert order(query="雪纺")[0] == heavy.pk


def test_pages(shelf):
    first = selectors.search(query="", sort="price_asc", page=1, page_size=7)
    last = selectors.search(query="", sort="price_asc", page=5, page_size=7)
    beyond = selectors.search(query="", sort="price_asc", page=9, page_size=7)

    assert (first.total, len(first.items)) == (30, 7)
    assert first.items[0]["id"] == shelf["case"].pk
    assert (last.total, len(last.items)) == (30, 2)
    assert last.items[-1]["id"] == shelf["airpods"].pk
    assert beyond.items == []


def test_results_are_localized(shelf):
    results = selectors.search(query="普洱", language="en")

    assert [i["name"] for i in results.items] == ["Yunnan ripe pu-erh tea cake 357g"]
    assert results.items[0]["min_money"] == {
        "minor": 18800,
        "currency": "CNY",
        "amount": "188.00",
    }


def test_refusals_are_worded_in_the_requests_language(shelf, seller_shop):
    # The search app's refusals answer other apps' calls (ratings, sales,
    # demotions), not an API request of their own: read them in Chinese.
    with translation.override("zh-hans"):
        with pytest.raises(ValidationFailed) as bad_rating:
            services.set_rating(product_id=shelf["nuts"].pk, average=Decimal("5.5"))
        with pytest.raises(ValidationFailed) as no_reason:
            services.set_shop_demotion(shop_id=seller_shop.pk, demoted=True, reason=" ")

    assert bad_rating.value.message == "平均评分须在 0 到 5 之间"
    assert no_reason.value.message == "搜索降权须填写原因"
    assert SearchDocument.objects.get(product=shelf["nuts"]).rating_average is None
    assert not ShopDemotion.objects.exists()
    assert not SearchDocument.objects.filter(demoted=True).exists()
