from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Demo and benchmark data (``seed_demo``). Production code never imports this app; the
    import contract in ``.importlinter`` holds it to that."""

    name = "demo"
