from django.core.management.base import BaseCommand

from civicline.demo import city


class Command(BaseCommand):
    help = "Load the demo city once (bodies, catalogue, staff, cases) and print the logins."

    def handle(self, *args, **options):
        if city.is_loaded():
            self.stdout.write("The city's data is already here; nothing loaded.")
        else:
            self.stdout.write("Loading the demo city (Novi Sad)...")
            city.load()
            self.stdout.write(self.style.SUCCESS("Demo city loaded."))
        self.stdout.write(f"\nDemo logins (password for all: {city.DEMO_PASSWORD})")
        for user in city.USERS:
            self.stdout.write(
                f"  {user.username:<13} {user.role.label:<16} {user.first_name} {user.last_name}"
            )
