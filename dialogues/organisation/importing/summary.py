"""What an import changed, put into words for the web page and the command line."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dialogues.organisation.roles import Role

FIELD_LABELS = {
    "name": gettext_lazy("name"),
    "email": gettext_lazy("email"),
    "unit": gettext_lazy("unit"),
    "manager": gettext_lazy("manager"),
    "kind": gettext_lazy("unit type"),
    "parent": gettext_lazy("parent unit"),
}
KINDS = ("added", "changed", "deactivated", "reactivated")


def field_list(fields: list[str]) -> str:
    return ", ".join(str(FIELD_LABELS.get(name, name)) for name in fields)


def role_label(role: str) -> str:
    try:
        return str(Role(role).label)
    except ValueError:
        return role


LIST_HEADINGS = {
    ("people", "added"): gettext_lazy("People added"),
    ("people", "changed"): gettext_lazy("People changed"),
    ("people", "deactivated"): gettext_lazy("People deactivated"),
    ("people", "reactivated"): gettext_lazy("People reactivated"),
    ("units", "added"): gettext_lazy("Units added"),
    ("units", "changed"): gettext_lazy("Units changed"),
    ("units", "deactivated"): gettext_lazy("Units deactivated"),
    ("units", "reactivated"): gettext_lazy("Units reactivated"),
    ("roles", "added"): gettext_lazy("Roles added"),
    ("roles", "removed"): gettext_lazy("Roles removed"),
}


def describe(summary: dict[str, Any]) -> dict[str, Any]:
    """Counts and readable lists of what changed, for a template.

    ``lists`` holds one entry per kind of change that happened: a heading, the total
    count and the items kept in the summary (each with a label, an id and a detail).
    """
    described: dict[str, Any] = {"dry_run": summary.get("dry_run", False), "lists": []}
    described["count_rows"] = [
        (gettext_lazy("People"), (summary.get("people") or {}).get("counts", {})),
        (gettext_lazy("Units"), (summary.get("units") or {}).get("counts", {})),
    ]
    for part, key in (("people", "employee_id"), ("units", "code"), ("roles", "employee_id")):
        section = summary.get(part) or {}
        counts = section.get("counts", {})
        described[part] = {"counts": counts}
        for kind in KINDS if part != "roles" else ("added", "removed"):
            if not counts.get(kind):
                continue
            items = [
                {"label": item["name"], "ident": item.get(key, ""), "detail": _detail(part, item)}
                for item in section.get(kind, [])
            ]
            described["lists"].append(
                {
                    "id": f"{part}-{kind}",
                    "heading": LIST_HEADINGS[(part, kind)],
                    "count": counts[kind],
                    "items": items,
                    "more": counts[kind] - len(items),
                }
            )
    return described


def _detail(part: str, item: dict[str, Any]) -> str:
    if part == "roles":
        where = item.get("unit") or _("whole organisation")
        return f"{role_label(item['role'])} · {where}"
    return field_list(item.get("fields", []))


def summary_lines(summary: dict[str, Any]) -> list[str]:
    """A short plain-text report, one line per kind of change plus the changed fields."""
    lines = []
    for part, title in (("units", _("Units")), ("people", _("People"))):
        section = summary[part]
        counts = section["counts"]
        lines.append(
            _(
                "%(title)s: %(added)s added, %(changed)s changed, %(deactivated)s deactivated, "
                "%(reactivated)s reactivated, %(unchanged)s unchanged."
            )
            % {"title": title, **counts}
        )
        key = "code" if part == "units" else "employee_id"
        for item in section["changed"]:
            lines.append(f"  ~ {item[key]} {item['name']}: {field_list(item['fields'])}")
        for item in section["deactivated"]:
            lines.append(f"  - {item[key]} {item['name']}")
        for item in section["reactivated"]:
            lines.append(f"  + {item[key]} {item['name']}")
    counts = summary["roles"]["counts"]
    lines.append(_("Roles: %(added)s added, %(removed)s removed.") % counts)
    return lines


# Deactivating more than this share of the organisation is more likely a partial export
# than a real change; the preview says so before anyone confirms.
MASS_DEACTIVATION_SHARE = 0.2


def cautions(summary: dict[str, Any], person) -> list[str]:
    """Reasons for the HR administrator to look twice before confirming an import."""
    found = []
    counts = summary["people"]["counts"]
    current = counts["deactivated"] + counts["changed"] + counts["unchanged"]
    if current and counts["deactivated"] > MASS_DEACTIVATION_SHARE * current:
        found.append(
            _(
                "The file deactivates %(deactivated)s of the %(current)s people in the "
                "organisation currently. Check that it is the complete export from HR."
            )
            % {"deactivated": counts["deactivated"], "current": current}
        )
    own_id = getattr(person, "employee_id", None)
    if own_id and any(
        item.get("employee_id") == own_id for item in summary["people"]["deactivated"]
    ):
        found.append(_("You are not in the file: importing it deactivates your own account."))
    elif own_id and any(
        item.get("employee_id") == own_id and item.get("role") == Role.HR_ADMIN
        for item in summary["roles"]["removed"]
    ):
        found.append(
            _("The file takes away your role as HR administrator: you will lose access to imports.")
        )
    return found
