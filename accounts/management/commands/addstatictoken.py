"""django-otp's ``addstatictoken`` made a recovery code for anyone, with no audit event and no
word to its owner. This command of the same name hides it (accounts comes before django-otp in
INSTALLED_APPS, and Django takes the first app's) and only points to the audited way."""

from django.core.management.base import BaseCommand, CommandError, CommandParser


class Command(BaseCommand):
    help = "Disabled: use reset_second_factor, which is audited and tells the person."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("args", nargs="*")
        parser.add_argument("-t", "--token")

    def handle(self, *args: object, **options: object) -> None:
        raise CommandError(
            "addstatictoken is disabled in Tandem: it would give someone a recovery code with "
            "no audit event. Use `manage.py reset_second_factor EMAIL --reason CODE` (audited, "
            "ends their sessions and emails them) or a manager's reset on the person's page."
        )
