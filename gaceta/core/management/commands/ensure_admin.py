import os
import secrets

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = (
        "Make sure an administrator account exists. Its username, email and password come from "
        "GACETA_ADMIN_USERNAME, GACETA_ADMIN_EMAIL and GACETA_ADMIN_PASSWORD; without a password, "
        "one is generated and printed once, when the account is created."
    )

    def handle(self, *args, **options):
        User = get_user_model()
        username = os.environ.get("GACETA_ADMIN_USERNAME", "admin")
        email = os.environ.get("GACETA_ADMIN_EMAIL", "admin@example.com")
        password = os.environ.get("GACETA_ADMIN_PASSWORD", "")
        user = User.objects.filter(username=username).first()
        if user is not None:
            if password and not user.check_password(password):
                user.set_password(password)
                user.save(update_fields=["password"])
                self.stdout.write(f"Admin account '{username}': password set from GACETA_ADMIN_PASSWORD.")
            else:
                self.stdout.write(
                    f"Admin account '{username}' exists (password shown when it was created; "
                    f"change it with `manage.py changepassword {username}`)."
                )
            return
        generated = not password
        password = password or secrets.token_urlsafe(12)
        User.objects.create_superuser(username=username, email=email, password=password)
        shown = password if generated else "(from GACETA_ADMIN_PASSWORD)"
        self.stdout.write(f"Admin account created: username '{username}', password {shown}")
        if generated:
            self.stdout.write("This password is shown only once: keep it somewhere safe.")
