from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "tahaluf.accounts"
    label = "accounts"
