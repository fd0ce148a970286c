"""Say whom notifications sent before ``Notification.audience`` existed were for, read from
the page each one links to, so an old coordinator's notice hides once its reader steps down
to mentoring in the same scheme (and an old mentor's notice once they stop mentoring).

What each link means, from every ``notify`` call there has been:

- ``/concerns/...`` (a concern raised or not acknowledged in time), ``/mentees/...`` (a
  person's record), ``/match/...`` (the suggestions after an offer was declined or lapsed)
  and ``/relationships/<pk>/meetings/...`` (a concern logged on a meeting, before concerns
  were records) are coordinators' and managers' pages: **staff**.
- ``/my/mentees/`` (a match ended, an offer withdrawn or closed) is the mentor's own list:
  **mentor**.
- ``/relationships/<pk>/`` itself went to the mentor when a match was made ("You have been
  matched") and, since offers, to the coordinators when a mentor accepted one; ``/offers/<pk>/``
  went to the mentor asked ("Will you mentor ...?") and to the coordinators when an accepted
  offer could not become a match. The link alone cannot tell these apart, so the record it
  names does: **mentor** when the reader is that relationship's or offer's mentor, **staff**
  otherwise. A link whose record no longer exists is taken as the mentor's, the only reader
  such links had before offers (and such rows have no scheme, so they show as before).

Any other link, or none, names no role and stays blank ("anyone"): shown, as before this
migration, to whoever still works in its scheme. Nothing is made more visible than it was.
"""

import re

from django.db import migrations

STAFF = "staff"
MENTOR = "mentor"
BATCH = 2000

FIXED = [
    (re.compile(r"^/concerns/"), STAFF),
    (re.compile(r"^/mentees/"), STAFF),
    (re.compile(r"^/match/\d+/"), STAFF),
    (re.compile(r"^/relationships/\d+/meetings/"), STAFF),
    (re.compile(r"^/my/mentees/"), MENTOR),
]
RELATIONSHIP = re.compile(r"^/relationships/(\d+)/(?:$|[?#])")
OFFER = re.compile(r"^/offers/(\d+)/(?:$|[?#])")


def fill_audience(apps, schema_editor):
    Notification = apps.get_model("core", "Notification")
    Relationship = apps.get_model("relationships", "Relationship")
    MatchOffer = apps.get_model("relationships", "MatchOffer")
    audiences: dict[str, list[int]] = {STAFF: [], MENTOR: []}
    # (notification pk, reader pk) by the relationship or offer its link names
    by_relationship: dict[int, list[tuple[int, int]]] = {}
    by_offer: dict[int, list[tuple[int, int]]] = {}
    rows = Notification.objects.filter(audience="").exclude(url="")
    for pk, url, reader in rows.values_list("pk", "url", "recipient_id").iterator(chunk_size=BATCH):
        if fixed := next((audience for pattern, audience in FIXED if pattern.match(url)), None):
            audiences[fixed].append(pk)
        elif match := RELATIONSHIP.match(url):
            by_relationship.setdefault(int(match[1]), []).append((pk, reader))
        elif match := OFFER.match(url):
            by_offer.setdefault(int(match[1]), []).append((pk, reader))
    for model, linked in ((Relationship, by_relationship), (MatchOffer, by_offer)):
        mentors = dict(
            model.objects.filter(pk__in=list(linked)).values_list("pk", "mentor__user_id")
        )
        for record_pk, notes in linked.items():
            mentor_user = mentors.get(record_pk)
            for pk, reader in notes:
                is_mentor = record_pk not in mentors or reader == mentor_user
                audiences[MENTOR if is_mentor else STAFF].append(pk)
    for audience, notification_ids in audiences.items():
        for start in range(0, len(notification_ids), BATCH):
            Notification.objects.filter(pk__in=notification_ids[start : start + BATCH]).update(
                audience=audience
            )


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0005_notification_audience"),
        ("relationships", "0005_match_offer"),
    ]

    operations = [migrations.RunPython(fill_audience, migrations.RunPython.noop)]
