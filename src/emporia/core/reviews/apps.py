from django.apps import AppConfig


class ReviewsConfig(AppConfig):
    name = "emporia.core.reviews"
    label = "reviews"
