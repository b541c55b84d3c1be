from django.apps import AppConfig


class OrganizationsConfig(AppConfig):
    name = "tahaluf.organizations"
    label = "organizations"
