"""The demo's data files in resources/demo/: names, places, stories and words, as typed records.

Each file is read the first time a demo needs it (never at import) and kept for the next load.
The JSON files start with an "about" that says what their entries mean; the CSV files are:
cities.csv (the hand-picked cities, the office's own first), countries.csv (which name list and
languages a country's people get; others get "en"), names.csv (per name list, the given and
family names, with a Latin spelling for the e-mail address where they are not in Latin letters)
and goals.csv (goals a partnership may set, with the ranges their numbers are drawn from).
"""

from __future__ import annotations

import csv
import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from functools import cache
from typing import Any

from citypartner_desktop import paths

HOME = "home"  # the key of the office's own city, the first in cities.csv


def _read_text(name: str) -> str:
    return paths.resource_path(f"demo/{name}").read_text(encoding="utf-8")


def _read_json(name: str) -> Any:
    return json.loads(_read_text(name))


def _read_csv(name: str) -> list[dict[str, str]]:
    return list(csv.DictReader(_read_text(name).splitlines()))


def _texts(values: Any) -> tuple[str, ...]:
    return tuple(str(value) for value in values)


def _texts_by_key(values: Any) -> dict[str, tuple[str, ...]]:
    return {str(key): _texts(texts) for key, texts in values.items()}


def _number(text: str) -> float:
    """A whole number stays an int, so the arithmetic is the same as with the literals."""
    return int(text) if text.lstrip("-").isdigit() else float(text)


# --- Places, programmes, partnership stories ---------------------------------------------------


@dataclass(frozen=True, slots=True)
class CuratedCity:
    key: str
    geonames_id: int
    native_name: str | None
    region: str | None
    website: str | None


@cache
def curated_cities() -> tuple[CuratedCity, ...]:
    """The hand-picked cities every demo has; the first is the office's own."""
    return tuple(CuratedCity(row["key"], int(row["geonames_id"]), row["native_name"] or None,
                             row["region"] or None, row["website"] or None)
                 for row in _read_csv("cities.csv"))


@dataclass(frozen=True, slots=True)
class Programmes:
    listed: tuple[tuple[str, str, str, str], ...]  # name, kind, website, notes; in load order
    for_networks: tuple[str, ...]
    for_projects: tuple[str, ...]


@cache
def programmes() -> Programmes:
    raw = _read_json("programmes.json")
    return Programmes(
        tuple((str(p["name"]), str(p["kind"]), str(p["website"]), str(p["notes"]))
              for p in raw["programmes"]),
        _texts(raw["for_networks"]), _texts(raw["for_projects"]))


@dataclass(frozen=True)
class Story:
    """A hand-made partnership; see stories.json for what each field means."""

    title: str
    kind: str
    status: str
    members: tuple[str, ...]  # city keys, home first
    themes: tuple[str, ...]
    since: date | int | None  # start: a date, or days from today
    lead: str | None = None
    programme: str | None = None
    until: int | None = None  # end, days from today
    quiet_days: int | None = None  # no activity in the last N days (a dormant partnership)
    expires_in: int | None = None  # the current agreement expires in N days
    auto_renew: bool = False
    tasks: tuple[tuple[str, int, int | None], ...] = ()  # (action, due in days, done in days)
    last_review: int | None = None  # its latest evaluation at most N days from today (< 0)


@cache
def stories() -> tuple[Story, ...]:
    """The partnerships every demo has, before the random ones."""
    made = []
    for raw in _read_json("stories.json")["stories"]:
        since = raw["since"]
        made.append(Story(
            raw["title"], raw["kind"], raw["status"], _texts(raw["members"]),
            _texts(raw["themes"]), date.fromisoformat(since) if isinstance(since, str) else since,
            raw.get("lead"), raw.get("programme"), raw.get("until"), raw.get("quiet_days"),
            raw.get("expires_in"), raw.get("auto_renew", False),
            tuple((t["action"], t["due_in"], t["done_in"]) for t in raw.get("tasks", ())),
            raw.get("last_review")))
    return tuple(made)


# --- People ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PeopleWords:
    family_first: Mapping[str, str]  # name list -> what stands between family and given name
    home_roles: tuple[str, ...]
    city_roles: tuple[str, ...]
    other_roles: tuple[tuple[str, str, str], ...]  # position, organisation, e-mail subdomain
    data_sources: tuple[str, ...]
    contact_notes: tuple[str, ...]


@cache
def people() -> PeopleWords:
    raw = _read_json("people.json")
    return PeopleWords(
        {str(k): str(v) for k, v in raw["family_first"].items()}, _texts(raw["home_roles"]),
        _texts(raw["city_roles"]),
        tuple((str(r["position"]), str(r["organisation"]), str(r["email_subdomain"]))
              for r in raw["other_roles"]),
        _texts(raw["data_sources"]), _texts(raw["contact_notes"]))


@cache
def names() -> tuple[tuple[str, str, str, str], ...]:
    """(name list, which list: female/male/family/family_female, name as written, latin)."""
    return tuple((row["names"], row["list"], row["name"], row["latin"])
                 for row in _read_csv("names.csv"))


@cache
def countries() -> dict[str, tuple[str, str]]:
    """Country -> (name list, languages spoken at work)."""
    return {row["country"]: (row["names"], row["languages"]) for row in _read_csv("countries.csv")}


# --- Words for partnerships, agreements, activities and evaluations ------------------------------


@dataclass(frozen=True, slots=True)
class PartnershipWords:
    departments: Mapping[str, str]  # lead department by first theme
    aims: Mapping[str, str]  # by kind of partnership
    project_names: tuple[str, ...]
    network_topics: tuple[str, ...]
    responsibilities: tuple[str, ...]  # what a city takes on in an agreement


@cache
def partnership_words() -> PartnershipWords:
    raw = _read_json("partnerships.json")
    return PartnershipWords(
        {str(k): str(v) for k, v in raw["departments"].items()},
        {str(k): str(v) for k, v in raw["aims"].items()}, _texts(raw["project_names"]),
        _texts(raw["network_topics"]), _texts(raw["responsibilities"]))


@dataclass(frozen=True, slots=True)
class Goal:
    title: str
    theme: str
    indicator: str
    unit: str
    baseline: tuple[float, float]  # the starting value is drawn from this range
    gain: tuple[float, float]  # the target is this much above the baseline


@cache
def goals() -> tuple[Goal, ...]:
    return tuple(Goal(row["title"], row["theme"], row["indicator"], row["unit"],
                      (_number(row["baseline_from"]), _number(row["baseline_to"])),
                      (_number(row["gain_from"]), _number(row["gain_to"])))
                 for row in _read_csv("goals.csv"))


@dataclass(frozen=True, slots=True)
class ActivityWords:
    kinds: tuple[tuple[str, float], ...]  # kind, relative weight
    titles: Mapping[str, tuple[tuple[str, str | None], ...]]  # title template, where
    summaries: Mapping[str, tuple[str, ...]]
    participants: Mapping[str, tuple[int, int]]  # how many take part, by kind
    costs: Mapping[str, tuple[float, float]]  # EUR, by kind
    participant_roles: tuple[str, ...]
    follow_ups: tuple[str, ...]


@cache
def activity_words() -> ActivityWords:
    raw = _read_json("activities.json")
    return ActivityWords(
        tuple((str(kind), weight) for kind, weight in raw["kinds"].items()),
        {str(kind): tuple((str(t["title"]), t["where"]) for t in titles)
         for kind, titles in raw["titles"].items()},
        _texts_by_key(raw["summaries"]),
        {str(kind): (int(lo), int(hi)) for kind, (lo, hi) in raw["participants"].items()},
        {str(kind): (lo, hi) for kind, (lo, hi) in raw["costs"].items()},
        _texts(raw["participant_roles"]), _texts(raw["follow_ups"]))


@dataclass(frozen=True, slots=True)
class EvaluationWords:
    follow_ups: Mapping[str, tuple[str, ...]]  # by recommendation
    rationales: Mapping[str, tuple[str, ...]]  # by criterion: low (1–2), middle (3), high (4–5)
    findings: tuple[tuple[str, ...], ...]  # poor, fair, good
    lessons: tuple[str, ...]
    methods: tuple[str, ...]


@cache
def evaluation_words() -> EvaluationWords:
    raw = _read_json("evaluations.json")
    return EvaluationWords(
        _texts_by_key(raw["follow_ups"]), _texts_by_key(raw["rationales"]),
        tuple(_texts(sentences) for sentences in raw["findings"]), _texts(raw["lessons"]),
        _texts(raw["methods"]))
