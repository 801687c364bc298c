from django.urls import path

from .views import seller

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
    path("<int:shop_id>/returns/", seller.returns, name="seller_returns"),
    path(
        "<int:shop_id>/returns/<int:return_id>/",
        seller.return_decide,
        name="seller_return",
    ),
    path("<int:shop_id>/money/", seller.money, name="seller_money"),
]
