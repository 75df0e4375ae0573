from django.apps import AppConfig


class HotlineConfig(AppConfig):
    name = "fazhi.hotline"
    label = "hotline"
    verbose_name = "12345热线"
