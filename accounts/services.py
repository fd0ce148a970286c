from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.http import HttpRequest

from accounts.forms import PasswordResetForm
from accounts.models import Membership, Role, User, normalise_email
from audit.services import audit_record
from schemes.models import Scheme


@transaction.atomic
def user_invite(
    *,
    by: User | None,
    email: str,
    full_name: str,
    role: str,
    scheme: Scheme | None,
    request: HttpRequest | None = None,
) -> User:
    """Create an account with no password and email the person a link to set one.

    Staff never choose or see a colleague's password; the invitation uses Django's password
    reset machinery, so the link expires and works once. ``by`` is None only when the
    system acts (``manage.py create_manager`` for the first manager).
    """
    email = normalise_email(email)
    if User.objects.filter(email__iexact=email).exists():
        raise ValidationError({"email": "Someone already has an account with this email address"})
    user = User(email=email, full_name=full_name.strip())
    user.set_unusable_password()
    user.full_clean()
    user.save()
    audit_record(actor=by, action="user.invited", target=user, scheme=scheme)
    membership_add(by=by, user=user, role=role, scheme=scheme)
    transaction.on_commit(lambda: _send_invitation(user=user, request=request))
    return user


def _send_invitation(*, user: User, request: HttpRequest | None) -> None:
    form = PasswordResetForm(data={"email": user.email})
    if form.is_valid():
        form.save(
            request=request,
            use_https=request.is_secure() if request else settings.SITE_HTTPS,
            subject_template_name="registration/invitation_subject.txt",
            email_template_name="registration/invitation_email.txt",
            domain_override=request.get_host() if request else settings.SITE_DOMAIN,
        )


@transaction.atomic
def membership_add(*, by: User | None, user: User, role: str, scheme: Scheme | None) -> Membership:
    """Give ``user`` a role. Managers are organisation-wide; other roles need a scheme."""
    if role not in Role.values:
        raise ValidationError({"role": "Choose a role"})
    if role == Role.MANAGER:
        scheme = None
    elif scheme is None:
        raise ValidationError({"scheme": "Choose the scheme this role is for"})
    if Membership.objects.filter(user=user, role=role, scheme=scheme).exists():
        raise ValidationError(f"{user} already has this role")
    try:
        with transaction.atomic():
            membership = Membership.objects.create(user=user, role=role, scheme=scheme)
    except IntegrityError as exc:  # a concurrent identical request won the race
        raise ValidationError(f"{user} already has this role") from exc
    audit_record(
        actor=by,
        action="membership.added",
        target=user,
        scheme=scheme,
        detail={"role": role, "membership": membership.pk},
    )
    return membership


@transaction.atomic
def membership_remove(*, by: User, membership: Membership) -> None:
    """Take a role away. A manager cannot remove their own manager role, so an organisation
    can never lock itself out by accident."""
    if membership.role == Role.MANAGER and membership.user_id == by.pk:
        raise ValidationError("You cannot remove your own manager role. Ask another manager")
    user, scheme, role, pk = membership.user, membership.scheme, membership.role, membership.pk
    membership.delete()
    audit_record(
        actor=by,
        action="membership.removed",
        target=user,
        scheme=scheme,
        detail={"role": role, "membership": pk},
    )


@transaction.atomic
def user_set_active(*, by: User, user: User, active: bool) -> User:
    """Close or reopen someone's access. A leaver's account is closed, never deleted: the
    audit trail must keep naming who did what.

    Closing ends their sessions at once, because Django refuses inactive users on every
    request. Roles are kept, so reopening restores exactly what they had.
    """
    if user.pk == by.pk and not active:
        raise ValidationError("You cannot close your own account. Ask another manager")
    if user.is_active == active:
        return user
    user.is_active = active
    user.save(update_fields=["is_active"])
    audit_record(actor=by, action="user.reopened" if active else "user.closed", target=user)
    return user
