from django.apps import AppConfig


class OrganizationsConfig(AppConfig):
    name = "tahaluf.organizations"
    label = "organizations"

    def ready(self) -> None:
        from tahaluf.organizations.search import register_search_types

        register_search_types()
