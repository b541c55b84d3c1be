from django.apps import AppConfig


class OrganizationsConfig(AppConfig):
    name = "tahaluf.organizations"
    label = "organizations"

    def ready(self) -> None:
        from tahaluf.organizations.name_filter import TRIGRAM_FOLLOWER
        from tahaluf.organizations.search import register_search_types
        from tahaluf.search import services

        register_search_types()
        # The directory's name filter keeps its trigram table by the index's pending changes.
        services.follow(TRIGRAM_FOLLOWER)
