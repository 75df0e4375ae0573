from django.apps import AppConfig


class HotlineConfig(AppConfig):
    name = "fazhi.hotline"
    label = "hotline"
    verbose_name = "12345热线"

    def ready(self) -> None:
        # Import records and Open311 clients live in their own module (records.py).
        from fazhi.hotline import records  # noqa: F401
