from django.urls import path

from .views import c2c_ads, c2c_credit, c2c_governance, c2c_trust, seller, seller_groups

urlpatterns = [
    path("", seller.seller_home, name="seller_home"),
    path("open/", seller.open_shop, name="seller_open"),
    path("<int:shop_id>/", seller.dashboard, name="seller_dashboard"),
    path("<int:shop_id>/profile/", seller.profile, name="seller_profile"),
    path("<int:shop_id>/products/", seller.products, name="seller_products"),
    path("<int:shop_id>/products/new/", seller.product_new, name="seller_product_new"),
    path(
        "<int:shop_id>/products/<int:product_id>/",
        seller.product_edit,
        name="seller_product",
    ),
    path("<int:shop_id>/stock/", seller.stock, name="seller_stock"),
    path(
        "<int:shop_id>/stock/<int:item_id>/",
        seller.stock_item,
        name="seller_stock_item",
    ),
    path("<int:shop_id>/orders/", seller.shop_orders, name="seller_orders"),
    path(
        "<int:shop_id>/orders/<int:order_id>/",
        seller.shop_order,
        name="seller_order",
    ),
    path(
        "<int:shop_id>/shipments/<int:shipment_id>/",
        seller.shipment_tracking,
        name="seller_shipment",
    ),
    path("<int:shop_id>/returns/", seller.returns, name="seller_returns"),
    path(
        "<int:shop_id>/returns/<int:return_id>/",
        seller.return_decide,
        name="seller_return",
    ),
    path("<int:shop_id>/money/", seller.money, name="seller_money"),
    path("<int:shop_id>/ratings/", c2c_credit.seller_ratings, name="seller_ratings"),
    path(
        "<int:shop_id>/ratings/<int:order_id>/reply/",
        c2c_credit.seller_reply,
        name="seller_rating_reply",
    ),
    path("<int:shop_id>/growth/", c2c_credit.growth_center, name="seller_growth"),
    path("<int:shop_id>/ads/", c2c_ads.campaign_list, name="seller_ads"),
    path(
        "<int:shop_id>/ads/<int:campaign_id>/",
        c2c_ads.campaign_detail,
        name="seller_ad",
    ),
    path(
        "<int:shop_id>/ads/<int:campaign_id>/status/",
        c2c_ads.campaign_status,
        name="seller_ad_status",
    ),
    path(
        "<int:shop_id>/ads/<int:campaign_id>/keywords/<int:keyword_id>/",
        c2c_ads.keyword_change,
        name="seller_ad_keyword",
    ),
    path("open/individual/", c2c_trust.open_individual_shop, name="c2c_open_shop"),
    path(
        "<int:shop_id>/disputes/", c2c_trust.seller_disputes, name="c2c_seller_disputes"
    ),
    path(
        "<int:shop_id>/disputes/<int:dispute_id>/",
        c2c_trust.seller_dispute,
        name="c2c_seller_dispute",
    ),
    path("<int:shop_id>/groups/", seller_groups.campaigns, name="seller_groups"),
    path(
        "<int:shop_id>/groups/<int:campaign_id>/",
        seller_groups.campaign,
        name="seller_group_campaign",
    ),
    path(
        "<int:shop_id>/groups/<int:campaign_id>/status/",
        seller_groups.campaign_status,
        name="seller_group_status",
    ),
    path(
        "<int:shop_id>/penalties/",
        c2c_governance.seller_penalties,
        name="seller_penalties",
    ),
    path(
        "<int:shop_id>/penalties/<int:penalty_id>/appeal/",
        c2c_governance.seller_appeal,
        name="seller_penalty_appeal",
    ),
]
