from django.core.management.base import BaseCommand, CommandError

from gaceta.newsletters import sending, services
from gaceta.newsletters.models import Newsletter, NewsletterIssue


class Command(BaseCommand):
    help = (
        "Send today's issue of a newsletter (built from the front page if there is none yet). "
        "Stopped and run again, it sends only to those not yet sent; when all is sent, it sends nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("slug", help="The newsletter's slug, e.g. daily")
        parser.add_argument("--queue", action="store_true", help="Hand the batches to the worker instead of sending here.")

    def handle(self, slug, queue=False, **options):
        newsletter = Newsletter.objects.filter(slug=slug).first()
        if newsletter is None:
            raise CommandError(f"No newsletter with the slug {slug!r}.")
        try:
            issue = services.issue_for_today(newsletter)
        except services.NotAllowed as error:
            raise CommandError(str(error)) from error
        if queue:
            self.stdout.write(f"{sending.start_sending(issue)} batches queued for the worker.")
        else:
            for first_pk, last_pk in sending.prepare_sending(issue):
                try:
                    sending.send_batch(issue_id=issue.pk, first_pk=first_pk, last_pk=last_pk)
                except sending.SendInterrupted as error:
                    raise CommandError(f"The mail server stopped answering ({error}); run again to resume.") from error
        stats = sending.issue_stats(NewsletterIssue.objects.filter(pk=issue.pk)).get()
        self.stdout.write(
            f"{newsletter.name}, issue {issue.pk} ({stats.get_status_display().lower()}): recipients {stats.recipients}, "
            f"sent {stats.sent}, failed {stats.failed}, bounced {stats.bounced}, unsubscribed {stats.unsubscribed}"
        )
