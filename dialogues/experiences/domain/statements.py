"""The respondent's busiest statements, written by hand.

Every request of a respondent starts by finding the invitee of the link, and every submission
inserts its pending responses and marks the invitee answered. Built through the ORM these
statements cost more CPU than the rest of the request (measured in bench/answering.py), so
they are written here once per database vendor: the lookup joins the invitee, the campaign and
its frozen guide version and says whether a draft exists, and its values go through the same
converters the ORM applies, becoming ordinary model instances with their relations cached;
the writes take their values through each field's own preparation for the database.
"""

from django.db import connection

from dialogues.experiences.models import (
    Campaign,
    CampaignInvitee,
    Draft,
    GuideVersion,
    PendingResponse,
)

_JOINED = ((CampaignInvitee, "i"), (Campaign, "c"), (GuideVersion, "g"))
_STATEMENTS: dict[tuple[str, bool], str] = {}


def _statement(for_update: bool) -> str:
    key = (connection.vendor, for_update)
    if key not in _STATEMENTS:
        quote = connection.ops.quote_name
        columns = [
            f"{alias}.{quote(field.column)}"
            for model, alias in _JOINED
            for field in model._meta.concrete_fields
        ]
        invitee_column = CampaignInvitee._meta.get_field("campaign").column
        version_column = Campaign._meta.get_field("guide_version").column
        # Only model metadata is put into the text; the hash is a parameter.
        drafts = quote(Draft._meta.db_table)
        sql = (
            f"SELECT {', '.join(columns)}, EXISTS(SELECT 1 FROM {drafts} d"  # noqa: S608
            f" WHERE d.{quote('token_hash')} = i.{quote('token_hash')})"
            f" FROM {quote(CampaignInvitee._meta.db_table)} i"
            f" INNER JOIN {quote(Campaign._meta.db_table)} c ON c.{quote('id')} ="
            f" i.{quote(invitee_column)}"
            f" LEFT OUTER JOIN {quote(GuideVersion._meta.db_table)} g ON g.{quote('id')} ="
            f" c.{quote(version_column)}"
            f" WHERE i.{quote('token_hash')} = %s"
        )
        if for_update and connection.features.has_select_for_update:
            of = connection.features.has_select_for_update_of
            sql += " FOR UPDATE OF i" if of else " FOR UPDATE"
        _STATEMENTS[key] = sql
    return _STATEMENTS[key]


_CONVERTERS: dict[str, tuple] = {}


def _converted(row) -> list:
    """The row's values as the ORM would give them (dates, booleans, JSON …)."""
    if connection.vendor not in _CONVERTERS:
        expressions = [
            field.get_col(alias)
            for model, alias in _JOINED
            for field in model._meta.concrete_fields
        ]
        compiler = CampaignInvitee.objects.all().query.get_compiler(connection=connection)
        _CONVERTERS[connection.vendor] = (
            compiler,
            compiler.get_converters(expressions),
            len(expressions),
        )
    compiler, converters, width = _CONVERTERS[connection.vendor]
    values = list(row[:width])
    if converters:
        (values,) = compiler.apply_converters([values], converters)
    return [*values, row[width]]


def invitee_by_hash(hashed: str, *, for_update: bool = False) -> CampaignInvitee | None:
    """The invitee whose link hashes to ``hashed``, with campaign, guide version, ``has_draft``."""
    with connection.cursor() as cursor:
        cursor.execute(_statement(for_update), [hashed])
        row = cursor.fetchone()
    if row is None:
        return None
    values = _converted(row)
    instances = []
    start = 0
    for model, _alias in _JOINED:
        fields = model._meta.concrete_fields
        part = values[start : start + len(fields)]
        start += len(fields)
        if model is GuideVersion and part[0] is None:
            instances.append(None)
            continue
        instances.append(model.from_db(connection.alias, [f.attname for f in fields], part))
    invitee, campaign, version = instances
    Campaign._meta.get_field("guide_version").set_cached_value(campaign, version)
    CampaignInvitee._meta.get_field("campaign").set_cached_value(invitee, campaign)
    invitee.has_draft = bool(values[start])
    return invitee


def insert_pending(responses: list[PendingResponse]) -> None:
    """One INSERT of the pending responses of a submission (their ids are made here)."""
    fields = PendingResponse._meta.concrete_fields
    quote = connection.ops.quote_name
    rows, values = [], []
    for response in responses:
        rows.append("(" + ", ".join(["%s"] * len(fields)) + ")")
        values += [
            field.get_db_prep_save(field.pre_save(response, True), connection) for field in fields
        ]
    columns = ", ".join(quote(field.column) for field in fields)
    table = quote(PendingResponse._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {table} ({columns}) VALUES {', '.join(rows)}", values)  # noqa: S608


def mark_answered(invitee: CampaignInvitee) -> None:
    quote = connection.ops.quote_name
    table = quote(CampaignInvitee._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET {quote('answered')} = %s WHERE {quote('id')} = %s",  # noqa: S608
            [True, invitee.pk],
        )
