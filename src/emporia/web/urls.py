from django.urls import include, path

from .views import account, cart, orders, storefront

app_name = "web"

urlpatterns = [
    path("", storefront.home, name="home"),
    path("search/", storefront.search_page, name="search"),
    path("c/<int:category_id>/", storefront.category, name="category"),
    path("p/<int:product_id>/", storefront.product, name="product"),
    path("shops/<int:shop_id>/", storefront.shop_page, name="shop"),
    path("cart/", cart.cart, name="cart"),
    path("cart/add/", cart.cart_add, name="cart_add"),
    path("cart/lines/<int:line_id>/", cart.cart_line, name="cart_line"),
    path("checkout/", cart.checkout_page, name="checkout"),
    path("account/signup/", account.signup, name="signup"),
    path("account/login/", account.login_view, name="login"),
    path("account/logout/", account.logout_view, name="logout"),
    path("account/addresses/", account.addresses, name="addresses"),
    path(
        "account/addresses/<int:address_id>/delete/",
        account.address_delete,
        name="address_delete",
    ),
    path("account/tokens/", account.tokens, name="tokens"),
    path(
        "account/tokens/<int:token_id>/revoke/",
        account.token_revoke,
        name="token_revoke",
    ),
    path("account/orders/", orders.order_list, name="orders"),
    path("account/orders/<int:order_id>/", orders.order_detail, name="order"),
    path(
        "account/orders/<int:order_id>/confirm/",
        orders.order_confirm,
        name="order_confirm",
    ),
    path(
        "account/orders/<int:order_id>/review/",
        orders.order_review,
        name="order_review",
    ),
    path(
        "account/orders/<int:order_id>/return/",
        orders.order_return,
        name="order_return",
    ),
    path("seller/", include("emporia.web.seller_urls")),
    path("ops/", include("emporia.web.ops_urls")),
]
