"""Say whom notifications written before ``Notification.mentee`` existed were about, so
erasure and subject access find them (their words may name the person).

From the page each one links to: ``/mentees/<pk>/`` and ``/match/<pk>/`` name the person;
``/relationships/<pk>/...``, ``/concerns/<pk>/`` and ``/offers/<pk>/`` name a record of theirs.
``/my/mentees/`` (a match closed or ended, an offer withdrawn or closed) is the mentor's own
list: the person is the one, among those the reader has mentored or been offered, whose first
name the subject carries; when none or more than one fits, the row is left unnamed rather
than guessed. A link to a record that no longer exists names nobody.
"""

import re

from django.db import migrations

BATCH = 2000

PERSON = [re.compile(r"^/mentees/(\d+)/"), re.compile(r"^/match/(\d+)/")]
RECORD = [
    ("relationships", "Relationship", re.compile(r"^/relationships/(\d+)/")),
    ("concerns", "Concern", re.compile(r"^/concerns/(\d+)/")),
    ("relationships", "MatchOffer", re.compile(r"^/offers/(\d+)/")),
]
MENTOR_LIST = re.compile(r"^/my/mentees/")


def _mentor_people(apps, reader_ids: set[int]) -> dict[int, list[tuple[int, str]]]:
    """Each reader's (person pk, first name) from the matches and offers they were in."""
    people: dict[int, set[tuple[int, str]]] = {}
    for label, name in (("relationships", "Relationship"), ("relationships", "MatchOffer")):
        rows = apps.get_model(label, name).objects.filter(mentor__user_id__in=reader_ids)
        for reader, mentee, given in rows.values_list(
            "mentor__user_id", "mentee_id", "mentee__given_name"
        ):
            people.setdefault(reader, set()).add((mentee, given))
    return {reader: sorted(found) for reader, found in people.items()}


def fill_mentee(apps, schema_editor):
    Notification = apps.get_model("core", "Notification")
    Mentee = apps.get_model("mentees", "Mentee")
    named: dict[int, list[int]] = {}  # person pk -> notification pks
    by_record: dict[tuple[str, str], dict[int, list[int]]] = {}
    on_list: list[tuple[int, int, str]] = []
    rows = Notification.objects.filter(mentee__isnull=True).exclude(url="")
    for pk, url, reader, subject in rows.values_list(
        "pk", "url", "recipient_id", "subject"
    ).iterator(chunk_size=BATCH):
        if person := next((m for p in PERSON if (m := p.match(url))), None):
            named.setdefault(int(person[1]), []).append(pk)
        elif found := next(((lb, n, m) for lb, n, p in RECORD if (m := p.match(url))), None):
            label, name, match = found
            by_record.setdefault((label, name), {}).setdefault(int(match[1]), []).append(pk)
        elif MENTOR_LIST.match(url):
            on_list.append((pk, reader, subject))
    for (label, name), linked in by_record.items():
        owners = apps.get_model(label, name).objects.filter(pk__in=list(linked))
        for record_pk, mentee_pk in owners.values_list("pk", "mentee_id"):
            named.setdefault(mentee_pk, []).extend(linked[record_pk])
    people = _mentor_people(apps, {reader for _, reader, _ in on_list})
    for pk, reader, subject in on_list:
        fits = {m for m, given in people.get(reader, []) if given and given in subject}
        if len(fits) == 1:
            named.setdefault(fits.pop(), []).append(pk)
    existing = set(Mentee.objects.filter(pk__in=list(named)).values_list("pk", flat=True))
    for mentee_pk, notification_ids in named.items():
        if mentee_pk not in existing:
            continue
        for start in range(0, len(notification_ids), BATCH):
            Notification.objects.filter(pk__in=notification_ids[start : start + BATCH]).update(
                mentee_id=mentee_pk
            )


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0008_notification_mentee"),
        ("relationships", "0006_meeting_concern_is_a_concern"),
        ("concerns", "0004_urgency_in_plain_words"),
    ]

    operations = [migrations.RunPython(fill_mentee, migrations.RunPython.noop)]
