from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "tahaluf.audit"
    label = "audit"
