from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "govportal.accounts"
    label = "accounts"
    verbose_name = "账号"
