"""Rules that belong to one kind of record, beyond what a single field can say."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from citypartner_desktop.db.uow import UnitOfWork
from citypartner_desktop.domain.errors import DuplicateCityError
from citypartner_desktop.domain.file_names import safe_file_name
from citypartner_desktop.domain.specs import EntitySpec
from citypartner_desktop.domain.validation import country_name
from citypartner_desktop.repositories import records as repo


def phone_region(uow: UnitOfWork, spec: EntitySpec, values: Mapping[str, Any]) -> str | None:
    """A contact's phone without +country code is read in the country of the contact's city."""
    city_id = values.get("city_id") if spec.kind == "contact" else None
    if not city_id:
        return None
    country = repo.value_of(uow.session, "city", str(city_id), "country")
    return str(country) if country else None


def _same_partnership(
    uow: UnitOfWork, parsed: Mapping[str, Any], field: str, kind: str, partnership_id: str
) -> str | None:
    other = parsed.get(field)
    if other and repo.value_of(uow.session, kind, other, "partnership_id") != partnership_id:
        return f"belongs to another partnership than this {kind.replace('_', ' ')}"
    return None


# Kinds whose rules compare a record with the others of its kind (one home city, a city a
# member once): a batch of them is checked and added one by one.
COMPARED_WITH_THEIR_KIND = frozenset({"city", "membership"})


def check(
    uow: UnitOfWork, spec: EntitySpec, parsed: Mapping[str, Any], record_id: str | None
) -> dict[str, str]:
    errors: dict[str, str] = {}
    session = uow.session
    if spec.kind == "city" and parsed.get("is_home"):
        others = repo.home_city_ids(session, record_id)
        if others:
            name = repo.value_of(session, "city", others[0], "name")
            errors["is_home"] = f"{name} is already marked as our own municipality"
    elif spec.kind == "membership":
        ids = [
            i
            for i in repo.find_ids(
                session, "membership", "partnership_id", parsed["partnership_id"]
            )
            if i != record_id
            and repo.value_of(session, "membership", i, "city_id") == parsed["city_id"]
        ]
        if ids:
            errors["city_id"] = "this city is already a member of the partnership"
    elif spec.kind == "action":
        pid = parsed["partnership_id"]
        for field, kind in (("activity_id", "activity"), ("evaluation_id", "evaluation")):
            problem = _same_partnership(uow, parsed, field, kind, pid)
            if problem:
                errors[field] = problem
    elif spec.kind == "attachment" and parsed.get("file_name"):
        name = str(parsed["file_name"])
        if safe_file_name(name) != name:
            errors["file_name"] = (f"is no safe file name (folders, control characters or a "
                                   f"reserved name); use “{safe_file_name(name)}”")
    elif spec.kind == "contact":
        errors.update(consent_problems(parsed, date.today()))
    elif spec.kind == "kpi_measurement":
        pid = repo.value_of(session, "evaluation", parsed["evaluation_id"], "partnership_id")
        problem = _same_partnership(uow, parsed, "goal_id", "goal", pid)
        if problem:
            errors["goal_id"] = "is a goal of another partnership than the evaluation's"
    return errors


def consent_problems(parsed: Mapping[str, Any], today: date) -> dict[str, str]:
    """A withdrawal of consent needs consent to withdraw, and has happened by ``today`` (that
    it is not before the consent date is a date range of the contact's spec)."""
    withdrawn = parsed.get("consent_withdrawn_on")
    if not withdrawn:
        return {}
    if parsed.get("legal_basis") != "consent":
        return {"consent_withdrawn_on":
                "only a contact whose legal basis is consent can withdraw it"}
    if withdrawn > today:
        return {"consent_withdrawn_on": f"is in the future ({withdrawn.isoformat()}); enter "
                                        "it once the person has withdrawn their consent"}
    return {}


def check_duplicates(
    uow: UnitOfWork,
    spec: EntitySpec,
    parsed: Mapping[str, Any],
    record_id: str | None,
    *,
    confirm_duplicate: bool,
) -> None:
    """A second city with the same name in the same country needs the user's confirmation."""
    if spec.kind != "city" or confirm_duplicate:
        return
    same = repo.same_name_cities(uow.session, parsed["name"], parsed["country"], record_id)
    if same:
        raise DuplicateCityError(parsed["name"], country_name(parsed["country"]), same[0])
