"""The audit trail records who changed or opened case records, and cannot be rewritten."""

import pytest
from django.contrib.admin.sites import site
from django.db import connection, transaction
from django.db.utils import DatabaseError
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from audit.models import AppendOnlyError, AuditEvent
from audit.services import audit_record, audit_save_many
from conftest import client_for
from mentees.services import referral_create


def test_opening_a_mentee_record_is_audited(world):
    """A coordinator opening a mentee's page leaves a mentee.viewed event naming them."""
    response = client_for(world.coordinator_a).get(
        reverse("mentees:detail", args=[world.mentee_a.pk])
    )
    assert response.status_code == 200
    event = AuditEvent.objects.get(action="mentee.viewed")
    assert event.actor == world.coordinator_a
    assert (event.target_type, event.target_id) == ("mentees.mentee", str(world.mentee_a.pk))
    assert event.scheme == world.scheme_a


def test_a_refused_record_view_writes_no_view_event(world):
    """Only records actually shown are logged as viewed: a 404 leaves no trace of the record."""
    client_for(world.coordinator_b).get(reverse("mentees:detail", args=[world.mentee_a.pk]))
    assert not AuditEvent.objects.filter(action="mentee.viewed").exists()


def test_creating_case_data_is_audited(world):
    """Taking a referral writes its audit events in the same transaction as the records."""
    referral = referral_create(
        by=world.coordinator_a,
        scheme=world.scheme_a,
        person={"given_name": "Jo", "family_name": "Bloggs"},
        source="self",
        referred_on=timezone.localdate(),
        reason="Asked for a mentor.",
    )
    event = AuditEvent.objects.get(action="mentee.created")
    assert event.target_id == str(referral.mentee_id)
    assert event.actor == world.coordinator_a
    assert AuditEvent.objects.filter(action="referral.created", target_id=str(referral.pk)).exists()


def test_audit_events_cannot_be_changed_or_deleted_through_the_orm(world):
    event = audit_record(actor=world.manager, action="test.done", target=world.scheme_a)
    event.action = "test.rewritten"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).update(action="test.rewritten")
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).delete()
    assert AuditEvent.objects.get(pk=event.pk).action == "test.done"


def test_the_database_itself_refuses_to_change_audit_events(world):
    """Raw SQL, as from a shell or a future bug, is refused by the PostgreSQL trigger."""
    event = audit_record(actor=world.manager, action="test.done", target=world.scheme_a)
    for sql in (
        "UPDATE audit_auditevent SET action = 'x' WHERE id = %s",
        "DELETE FROM audit_auditevent WHERE id = %s",
    ):
        with (
            pytest.raises(DatabaseError, match="append-only"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(sql, [event.pk])
    assert AuditEvent.objects.get(pk=event.pk).action == "test.done"


def test_the_admin_offers_no_way_to_add_change_or_delete_events(world):
    admin = site._registry[AuditEvent]
    request = RequestFactory().get("/")
    request.user = world.manager
    world.manager.is_superuser = True
    assert not admin.has_add_permission(request)
    assert not admin.has_change_permission(request)
    assert not admin.has_delete_permission(request)


def test_managers_filter_the_trail_by_person_record_and_date(world):
    """A manager can answer 'who opened this person's record, and when'."""
    client_for(world.coordinator_a).get(reverse("mentees:detail", args=[world.mentee_a.pk]))
    client_for(world.manager).get(reverse("mentees:detail", args=[world.mentee_b.pk]))
    today = timezone.localdate().isoformat()
    url = reverse("audit:list")
    by_person = client_for(world.manager).get(url, {"actor": world.coordinator_a.pk})
    # Newest first: the record opened, and before it the login (audited since issue 15).
    assert [e.action for e in by_person.context["page"]] == ["mentee.viewed", "user.logged_in"]
    by_record = client_for(world.manager).get(
        url, {"target_type": "mentees.mentee", "target_id": world.mentee_b.pk}
    )
    assert [e.actor for e in by_record.context["page"]] == [world.manager]
    by_date = client_for(world.manager).get(url, {"date_from": today, "date_to": today})
    # The two records opened today, among today's logins.
    assert [e.action for e in by_date.context["page"]].count("mentee.viewed") == 2
    before = client_for(world.manager).get(url, {"date_to": "2000-01-01"})
    assert before.context["page"].paginator.count == 0


def test_an_impossible_date_range_is_explained_not_silently_empty(world):
    response = client_for(world.manager).get(
        reverse("audit:list"), {"date_from": "2026-02-01", "date_to": "2026-01-01"}
    )
    assert "The end date is before the start date" in response.content.decode()


def test_the_trail_reads_in_plain_words_and_finds_mentees_by_reference(world):
    """Managers see 'Opened a mentee's record … Mentee T000123', linked, and can search by
    the reference everyone uses rather than a database number."""
    client_for(world.coordinator_a).get(reverse("mentees:detail", args=[world.mentee_a.pk]))
    response = client_for(world.manager).get(
        reverse("audit:list"), {"target_id": world.mentee_a.reference.lower()}
    )
    body = response.content.decode()
    assert "Opened a mentee&#x27;s record" in body
    assert f"Mentee {world.mentee_a.reference}" in body
    assert reverse("mentees:detail", args=[world.mentee_a.pk]) in body
    assert response.context["page"].paginator.count == 1


@pytest.mark.parametrize("model_label", ["accounts.user", "schemes.scheme"])
def test_the_admin_cannot_change_what_the_app_audits(world, model_label):
    """Accounts and schemes change only through audited services, never the admin."""
    from django.apps import apps

    model_admin = site._registry[apps.get_model(model_label)]
    request = RequestFactory().get("/")
    request.user = world.manager
    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_change_permission(request)
    assert not model_admin.has_delete_permission(request)


def test_case_record_events_name_the_person_and_the_step_in_words(world):
    """A referral moved reads 'Referral of mentee T…' with 'referred → assessing'."""
    from mentees.services import referral_move

    referral_move(
        by=world.coordinator_a,
        referral=world.referral_a,
        to_status="assessing",
        on=timezone.localdate(),
    )
    body = client_for(world.manager).get(reverse("audit:list")).content.decode()
    assert "Moved a referral" in body
    assert f"Referral of mentee {world.mentee_a_unmatched.reference}" in body
    assert "referred → assessing" in body


def test_every_audited_record_is_named_in_words(world):
    """A record the trail has no link for still reads as words: "Report export #4", never
    "Reportexport #4"; every model of the project is named by its verbose name."""
    from django.apps import apps

    from audit.selectors import record_kind_name

    for model in apps.get_models():
        name = record_kind_name(model._meta.label_lower)
        capitals = sum(1 for c in model.__name__ if c.isupper())
        assert name[0].isupper() and (capitals < 2 or " " in name), (model, name)
    audit_save_many(
        [
            AuditEvent(
                actor=world.manager,
                action="report.exported",
                target_type="reports.reportexport",
                target_id="4",
            )
        ]
    )
    body = client_for(world.manager).get(reverse("audit:list")).content.decode()
    assert "Report export #4" in body and "Reportexport" not in body
