"""Turn what a user typed (or a file held) into a stored value, or say exactly why not.

Each function raises ``ValueError`` with a reason a person can act on; the service layer adds
the field name. Nothing here looks anything up on the network.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable, Mapping
from datetime import date, datetime
from functools import cache
from typing import Any
from urllib.parse import urlsplit

from citypartner_desktop.domain import contact_details, vocab
from citypartner_desktop.domain.specs import FieldKind, FieldSpec
from citypartner_desktop.domain.vocab import Vocab

Scores = dict[str, tuple[int | None, str]]


def _blank(raw: Any) -> bool:
    return raw is None or (isinstance(raw, str) and not raw.strip())


def parse_text(raw: Any, max_length: int) -> str:
    text = str(raw).strip()
    if len(text) > max_length:
        raise ValueError(f"is {len(text)} characters long; at most {max_length} are allowed")
    return text


def parse_int(raw: Any) -> int:
    if isinstance(raw, bool):
        raise ValueError("must be a whole number")
    if isinstance(raw, int):
        return raw
    if isinstance(raw, float) and raw.is_integer():
        return int(raw)
    text = re.sub(r"[\s_'\u00a0\u202f]", "", str(raw))
    if not re.fullmatch(r"[+-]?\d+", text):
        raise ValueError(f'"{raw}" is not a whole number')
    return int(text)


def parse_float(raw: Any) -> float:
    if isinstance(raw, bool):
        raise ValueError("must be a number")
    if isinstance(raw, int | float):
        value = float(raw)
    else:
        text = str(raw).strip().replace("\u00a0", "").replace(" ", "")
        if text.count(",") == 1 and "." not in text:
            text = text.replace(",", ".")  # decimal comma, as typed in most of Europe
        try:
            value = float(text)
        except ValueError:
            raise ValueError(f'"{raw}" is not a number') from None
    if math.isnan(value) or math.isinf(value):
        raise ValueError("must be a finite number")
    return value


def parse_date(raw: Any) -> date:
    if isinstance(raw, datetime):
        return raw.date()
    if isinstance(raw, date):
        return raw
    text = str(raw).strip()
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ValueError(f'"{text}" is not a date; use YYYY-MM-DD') from None


_TRUE = {"1", "true", "yes", "y", "on", "x"}
_FALSE = {"0", "false", "no", "n", "off", ""}


def parse_bool(raw: Any) -> bool:
    if isinstance(raw, bool):
        return raw
    text = str(raw).strip().casefold()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise ValueError(f'"{raw}" is not yes or no')


def parse_choice(raw: Any, choices: Vocab) -> str:
    text = str(raw).strip()
    for key, label in choices:
        if text == key or text.casefold() == label.casefold():
            return key
    allowed = ", ".join(label for _, label in choices)
    raise ValueError(f'"{text}" is not one of: {allowed}')


def parse_multichoice(raw: Any, choices: Vocab) -> tuple[str, ...]:
    items: Iterable[Any] = re.split(r"[,;]", raw) if isinstance(raw, str) else raw
    picked = {parse_choice(item, choices) for item in items if not _blank(item)}
    return tuple(key for key, _ in choices if key in picked)  # vocabulary order, no repeats


@cache
def _country_index() -> dict[str, str]:
    import pycountry

    index: dict[str, str] = {}
    for c in pycountry.countries:
        for attr in ("alpha_2", "alpha_3", "name", "official_name", "common_name"):
            value = getattr(c, attr, None)
            if value:
                index[value.casefold()] = c.alpha_2
    # Kosovo has the user-assigned code XK (used by GeoNames, the EU and others), not in ISO.
    index.update({"xk": "XK", "xkx": "XK", "kosovo": "XK"})
    return index


def country_index() -> dict[str, str]:
    """Case-folded ISO codes and names (official, common) -> alpha-2 code."""
    return _country_index()


def parse_country(raw: Any) -> str:
    text = str(raw).strip()
    code = _country_index().get(text.casefold())
    if code is None:
        raise ValueError(f'"{text}" is not a known country; use an ISO code such as PL or a name')
    return code


def country_name(code: str | None) -> str:
    if not code:
        return ""
    import pycountry

    country = pycountry.countries.get(alpha_2=code)
    if country is None:
        return "Kosovo" if code == "XK" else code
    return str(getattr(country, "common_name", None) or country.name)


def parse_email(raw: Any) -> str:
    from email_validator import EmailNotValidError, validate_email

    text = str(raw).strip()
    try:
        result = validate_email(text, check_deliverability=False)
    except EmailNotValidError as exc:
        raise ValueError(f'"{text}" is not an e-mail address ({exc})') from None
    return str(result.normalized)


def parse_phone(raw: Any, default_region: str | None = None) -> str:
    """Store as E.164; a number without +country code is read in the city's country."""
    import phonenumbers

    text = str(raw).strip()
    try:
        number = phonenumbers.parse(text, default_region)
    except phonenumbers.NumberParseException:
        hint = "" if default_region else " (add the country code, e.g. +48)"
        raise ValueError(f'"{text}" is not a phone number{hint}') from None
    if not phonenumbers.is_valid_number(number):
        raise ValueError(f'"{text}" is not a valid phone number')
    return str(phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164))


def format_phone(e164: str | None) -> str:
    """E.164 shown the way people read it: +48 12 616 12 00."""
    if not e164:
        return ""
    import phonenumbers

    try:
        number = phonenumbers.parse(e164, None)
    except phonenumbers.NumberParseException:
        return e164
    return str(phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL))


@cache
def _timezones() -> frozenset[str]:
    import zoneinfo

    return frozenset(zoneinfo.available_timezones())


def parse_timezone(raw: Any) -> str:
    text = str(raw).strip()
    if text not in _timezones():
        raise ValueError(f'"{text}" is not an IANA time zone such as Europe/Warsaw')
    return text


def parse_url(raw: Any) -> str:
    text = str(raw).strip()
    if "://" not in text:
        text = "https://" + text
    parts = urlsplit(text)
    if parts.scheme not in ("http", "https") or "." not in parts.netloc or " " in text:
        raise ValueError(f'"{raw}" is not a web address')
    return text


def parse_languages(raw: Any) -> str:
    import pycountry

    items = re.split(r"[,;/]", raw) if isinstance(raw, str) else list(raw)
    codes: list[str] = []
    for item in items:
        text = str(item).strip()
        if not text:
            continue
        # Codes first: lookup() alone would read "en" as the language named "En" (enc).
        lang = None
        if len(text) in (2, 3) and text.isascii():
            key = "alpha_2" if len(text) == 2 else "alpha_3"
            lang = pycountry.languages.get(**{key: text.lower()})
        if lang is None:
            try:
                lang = pycountry.languages.lookup(text)
            except LookupError:
                raise ValueError(f'"{text}" is not a known language') from None
        code = getattr(lang, "alpha_2", None) or lang.alpha_3
        if code not in codes:
            codes.append(code)
    return ", ".join(codes)


def parse_currency(raw: Any) -> str:
    import pycountry

    text = str(raw).strip().upper()
    if pycountry.currencies.get(alpha_3=text) is None:
        raise ValueError(f'"{raw}" is not an ISO currency code such as EUR')
    return text


def parse_scores(raw: Any) -> Scores:
    if not isinstance(raw, Mapping):
        raise ValueError("must map each criterion to a score and rationale")
    known = {key for key, _ in vocab.CRITERIA}
    result: Scores = {}
    for criterion, entry in raw.items():
        if criterion not in known:
            raise ValueError(f'"{criterion}" is not an OECD-DAC criterion')
        score_raw, rationale = entry if isinstance(entry, tuple | list) else (entry, "")
        score = None if _blank(score_raw) else parse_int(score_raw)
        if score is not None and not 1 <= score <= 5:
            label = vocab.label_of(vocab.CRITERIA, criterion)
            raise ValueError(f"{label}: score {score} is outside 1–5")
        result[criterion] = (score, str(rationale or "").strip())
    return result


_PARSERS: dict[FieldKind, Callable[[Any], Any]] = {
    FieldKind.INT: parse_int,
    FieldKind.FLOAT: parse_float,
    FieldKind.DATE: parse_date,
    FieldKind.BOOL: parse_bool,
    FieldKind.COUNTRY: parse_country,
    FieldKind.EMAIL: parse_email,
    FieldKind.TIMEZONE: parse_timezone,
    FieldKind.URL: parse_url,
    FieldKind.LANGUAGES: parse_languages,
    FieldKind.CURRENCY: parse_currency,
    FieldKind.SCORES: parse_scores,
    FieldKind.DETAILS: contact_details.normalise,
}


def parse_field(spec: FieldSpec, raw: Any, *, phone_region: str | None = None) -> Any:
    """Parse one value; blank gives None (or the empty value of its kind); raises ValueError."""
    if spec.kind is FieldKind.MULTICHOICE:
        value: Any = () if raw is None else parse_multichoice(raw, spec.vocab)
        if spec.required and not value:
            raise ValueError("pick at least one")
        return value
    if spec.kind is FieldKind.BOOL:
        return False if raw is None else parse_bool(raw)
    if spec.kind is FieldKind.SCORES:
        return {} if raw is None else parse_scores(raw)
    if spec.kind is FieldKind.DETAILS:
        return contact_details.normalise(raw) or None
    if _blank(raw):
        if spec.required:
            raise ValueError("is required")
        return None
    if spec.kind in (FieldKind.TEXT, FieldKind.MULTILINE, FieldKind.REF):
        return parse_text(raw, spec.max_length)
    if spec.kind is FieldKind.CHOICE:
        return parse_choice(raw, spec.vocab)
    if spec.kind is FieldKind.PHONE:
        return parse_phone(raw, phone_region)
    value = _PARSERS[spec.kind](raw)
    if isinstance(value, int | float) and not isinstance(value, bool):
        if spec.minimum is not None and value < spec.minimum:
            raise ValueError(f"must be at least {_num(spec.minimum)}")
        if spec.maximum is not None and value > spec.maximum:
            raise ValueError(f"must be at most {_num(spec.maximum)}")
    return value


def _num(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)
