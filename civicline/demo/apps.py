from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "civicline.demo"
    verbose_name = "Demo city"
