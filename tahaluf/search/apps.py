from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "tahaluf.search"
    label = "search"
