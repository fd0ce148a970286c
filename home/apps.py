from django.apps import AppConfig


class HomeConfig(AppConfig):
    """The top of the case work: the coordinator's dashboard and the spreadsheet imports, which
    read and write across every app. Nothing below imports it."""

    name = "home"
