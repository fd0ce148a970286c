"""The login log (django-axes' ``axes_accesslog``: each successful login, from where, and
when its session ended) is kept: the application's database role cannot delete a row less
than a year old, nor change one, except the logout time axes fills in once at logout.

Axes itself never deletes this log in normal running; only its ``axes_reset_logs`` command
does, which now works only on rows older than a year. The other axes tables are left alone
on purpose: axes deletes ``axes_accessattempt`` rows on a successful login
(``AXES_RESET_ON_SUCCESS``) and when their cool-off ends, and trims
``axes_accessfailurelog`` per user; refusing those would break the lockout. Every failure,
lockout, login and logout is written to the audit trail as well (accounts), which is chained.
"""

from django.db import migrations

COLUMNS = (
    "id",
    "user_agent",
    "ip_address",
    "username",
    "http_accept",
    "path_info",
    "attempt_time",
    "session_hash",
)
PG_FORWARD = f"""
CREATE FUNCTION axes_accesslog_kept() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        IF OLD.attempt_time < now() - interval '365 days' THEN
            RETURN OLD;
        END IF;
        RAISE EXCEPTION 'the login log is kept for a year (DELETE refused)'
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF OLD.logout_time IS NULL
       AND ({", ".join("NEW." + c for c in COLUMNS)})
           IS NOT DISTINCT FROM ({", ".join("OLD." + c for c in COLUMNS)}) THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'the login log cannot be changed (only its logout time, once)'
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER axes_accesslog_kept
    BEFORE UPDATE OR DELETE ON axes_accesslog
    FOR EACH ROW EXECUTE FUNCTION axes_accesslog_kept();
"""
PG_BACKWARD = """
DROP TRIGGER IF EXISTS axes_accesslog_kept ON axes_accesslog;
DROP FUNCTION IF EXISTS axes_accesslog_kept();
"""
SQLITE_FORWARD = [
    "CREATE TRIGGER axes_accesslog_no_delete BEFORE DELETE ON axes_accesslog "
    "WHEN julianday(OLD.attempt_time) > julianday('now') - 365 "
    "BEGIN SELECT RAISE(ABORT, 'the login log is kept for a year (DELETE refused)'); END;",
    "CREATE TRIGGER axes_accesslog_no_update BEFORE UPDATE ON axes_accesslog "
    "WHEN OLD.logout_time IS NOT NULL OR "
    + " OR ".join(f"NEW.{c} IS NOT OLD.{c}" for c in COLUMNS)
    + " BEGIN SELECT RAISE(ABORT, "
    "'the login log cannot be changed (only its logout time, once)'); END;",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS axes_accesslog_no_delete;",
    "DROP TRIGGER IF EXISTS axes_accesslog_no_update;",
]


def forward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG_FORWARD, params=None)
    elif vendor == "sqlite":
        for statement in SQLITE_FORWARD:
            schema_editor.execute(statement)


def backward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG_BACKWARD)
    elif vendor == "sqlite":
        for statement in SQLITE_BACKWARD:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0005_chain_required_and_time_from_the_database"),
        ("axes", "0010_accessattemptexpiration"),
    ]

    operations = [migrations.RunPython(forward, backward)]
