"""Name the scheme of notifications sent before ``Notification.scheme`` existed, from the
page each one links to, so old notifications also hide once their reader leaves the scheme.

Only links that name a case record are read: ``/relationships/<pk>/...`` (a new match, a
concern on a meeting) gives the relationship's mentee's scheme, ``/mentees/<pk>/...`` the
mentee's scheme. A case record never moves between schemes, so the scheme read now is the
scheme it was about when it was sent. Links to a list (``/my/mentees/``: a mentor told that
their match ended) name no record and stay without a scheme: they carry only a first name,
and there is no safe way to tell which scheme they meant.
"""

import re

from django.db import migrations

RELATIONSHIP = re.compile(r"^/relationships/(\d+)/")
MENTEE = re.compile(r"^/mentees/(\d+)/")
BATCH = 2000


def fill_scheme(apps, schema_editor):
    Notification = apps.get_model("core", "Notification")
    Relationship = apps.get_model("relationships", "Relationship")
    Mentee = apps.get_model("mentees", "Mentee")
    by_relationship: dict[int, list[int]] = {}
    by_mentee: dict[int, list[int]] = {}
    rows = Notification.objects.filter(scheme__isnull=True).exclude(url="")
    for pk, url in rows.values_list("pk", "url").iterator(chunk_size=BATCH):
        if match := RELATIONSHIP.match(url):
            by_relationship.setdefault(int(match[1]), []).append(pk)
        elif match := MENTEE.match(url):
            by_mentee.setdefault(int(match[1]), []).append(pk)
    schemes: dict[int, list[int]] = {}
    relationship_schemes = Relationship.objects.filter(pk__in=list(by_relationship)).values_list(
        "pk", "mentee__scheme_id"
    )
    for pk, scheme_id in relationship_schemes:
        schemes.setdefault(scheme_id, []).extend(by_relationship[pk])
    for pk, scheme_id in Mentee.objects.filter(pk__in=list(by_mentee)).values_list(
        "pk", "scheme_id"
    ):
        schemes.setdefault(scheme_id, []).extend(by_mentee[pk])
    for scheme_id, notification_ids in schemes.items():
        for start in range(0, len(notification_ids), BATCH):
            Notification.objects.filter(pk__in=notification_ids[start : start + BATCH]).update(
                scheme_id=scheme_id
            )


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0003_notification_scheme"),
        ("mentees", "0007_home_area_hint_no_fixed_address"),
        ("relationships", "0004_relationship_change_note"),
    ]

    operations = [migrations.RunPython(fill_scheme, migrations.RunPython.noop)]
