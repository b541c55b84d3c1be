from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "tahaluf.search"
    label = "search"

    def ready(self) -> None:
        from tahaluf.search import duplicates, services

        # Duplicate detection's DuplicateKey follows the index's pending changes.
        services.follow(duplicates.KEYS_FOLLOWER)
