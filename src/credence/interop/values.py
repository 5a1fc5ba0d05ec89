"""Reading the messy values real catalogues hold: '5 ECTS', '7,5 credits', '6 weeks, 4 hours per week',
outcomes in one cell as bullets or numbered lines, 'English; French', 'EQF level 6'.

Each parser returns the clean value or raises `ValueProblem` with a message a person can act on.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from functools import cache

from credence.microcredentials.models import CreditSystem
from credence.microcredentials.vocabularies import isced_fields, languages


class ValueProblem(ValueError):
    """A cell that cannot be read as the element it is mapped to."""


_NUMBER = r"(\d+(?:[.,]\d+)?)"


def parse_number(text: str, what: str = "number") -> Decimal:
    """'7,5' and '7.5' are both seven and a half; '1,000' (a thousands separator) is a thousand."""
    cleaned = str(text).strip().replace("\u00a0", "").replace(" ", "")
    if re.fullmatch(r"\d{1,3}(,\d{3})+(\.\d+)?", cleaned):
        cleaned = cleaned.replace(",", "")
    cleaned = cleaned.replace(",", ".")
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        raise ValueProblem(f"'{str(text)[:40]}' is not a {what}.") from None
    if not value.is_finite():
        raise ValueProblem(f"'{str(text)[:40]}' is not a {what}.")
    return value


_CREDIT_SYSTEMS: list[tuple[str, str]] = [
    (r"ects|european credits?", CreditSystem.ECTS),
    (r"nzqf", CreditSystem.NZQF),
    (r"cats|scqf|uk credits?", CreditSystem.UK),
    (r"us credits?|credit hours?|semester (?:credit )?hours?|sch", CreditSystem.US_CREDIT_HOURS),
    (r"ceus?|continuing education units?", CreditSystem.CEU),
]


def parse_credits(text: str, default_system: str = "") -> tuple[Decimal | None, str]:
    """'5 ECTS' -> (5, ECTS); '10 credits' -> (10, default system); 'none' -> (None, 'none')."""
    value = str(text).strip()
    if not value:
        return None, ""
    lowered = value.lower()
    if lowered in ("none", "no credit", "no credits", "n/a", "-", "0 credits"):
        return None, CreditSystem.NONE
    match = re.search(_NUMBER, lowered)
    if match is None:
        raise ValueProblem(f"'{value[:40]}' gives no number of credits (write e.g. '5 ECTS').")
    number = parse_number(match.group(1), "number of credits")
    rest = (lowered[: match.start()] + " " + lowered[match.end() :]).strip()
    system = ""
    for pattern, code in _CREDIT_SYSTEMS:
        if re.search(rf"\b(?:{pattern})\b", rest):
            system = code
            break
    if not system:
        leftover = re.sub(r"\b(?:credits?|points?|cr|pts?)\b|[().]", " ", rest).strip()
        if leftover:
            raise ValueProblem(
                f"'{value[:40]}': unknown credit system '{leftover[:30]}' (use ECTS, UK, NZQF...)."
            )
        system = default_system
    return number, system


_WORD_NUMBERS = {
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "twelve": 12,
}


def _words_to_digits(text: str) -> str:
    return re.sub(r"\b(" + "|".join(_WORD_NUMBERS) + r")\b", lambda m: str(_WORD_NUMBERS[m.group(1)]), text)


def _hours_and_weeks(text: str) -> tuple[Decimal | None, Decimal | None, Decimal | None]:
    """(hours in total, hours per week, weeks) found in a phrase."""
    lowered = _words_to_digits(str(text).lower())
    per_week = re.search(
        _NUMBER + r"(?:\s*(?:-|to|–)\s*\d+)?\s*(?:hours?|hrs?|h)\s*(?:per|a|each|/|every)\s*(?:week|wk)",
        lowered,
    )
    weeks = re.search(_NUMBER + r"\s*(?:weeks?|wks?)\b", lowered)
    months = re.search(_NUMBER + r"\s*months?\b", lowered)
    total = None
    if per_week is None:
        found = re.search(_NUMBER + r"\s*(?:hours?|hrs?|h)\b", lowered)
        total = parse_number(found.group(1)) if found else None
    week_count = parse_number(weeks.group(1)) if weeks else None
    if week_count is None and months:
        week_count = (parse_number(months.group(1)) * Decimal("4.3")).quantize(Decimal("0.1"))
    return total, parse_number(per_week.group(1)) if per_week else None, week_count


def parse_hours(text: str) -> int | None:
    """'120 hours' -> 120; '6 weeks, 4 hours per week' -> 24; '3 h/week for 10 weeks' -> 30."""
    value = str(text).strip()
    if not value:
        return None
    if re.fullmatch(r"\d+(?:[.,]\d+)?", value):
        return int(parse_number(value).to_integral_value())
    total, per_week, weeks = _hours_and_weeks(value)
    if per_week is not None:
        if weeks is None:
            raise ValueProblem(f"'{value[:60]}' gives hours per week but not for how many weeks.")
        return int((per_week * weeks).to_integral_value())
    if total is not None:
        return int(total.to_integral_value())
    raise ValueProblem(
        f"'{value[:60]}' gives no number of hours (write e.g. '120 hours' or '6 weeks, 4 hours per week')."
    )


def parse_weeks(text: str) -> Decimal | None:
    """'6 weeks' -> 6; '3 months' -> 12.9; '6 weeks, 4 hours per week' -> 6; a bare number is weeks."""
    value = str(text).strip()
    if not value:
        return None
    if re.fullmatch(r"\d+(?:[.,]\d+)?", value):
        return parse_number(value, "number of weeks")
    _total, _per_week, weeks = _hours_and_weeks(value)
    if weeks is None:
        raise ValueProblem(f"'{value[:60]}' gives no duration in weeks or months.")
    return weeks


_BULLET = re.compile(r"^\s*(?:[•·▪●◦‣∙*\-–—]|\(?\d{1,2}[.)]|\(?[a-z][.)](?=\s))\s*", re.IGNORECASE)


def split_outcomes(text: str) -> list[str]:
    """One outcome per line, bullet or numbered item; semicolons separate outcomes written on one line."""
    value = str(text).replace("\r\n", "\n").replace("\r", "\n").strip()
    if not value:
        return []
    # Bullets run together on one line ('• Explain ... • Apply ...') become lines.
    value = re.sub(r"\s+(?=[•·▪●◦‣](?:\s|$))", "\n", value)
    value = re.sub(r"(?<=[.;:])\s+(?=\(?\d{1,2}[.)]\s)", "\n", value)
    lines = [line for line in value.split("\n") if line.strip()]
    if len(lines) == 1 and ";" in lines[0]:
        lines = lines[0].split(";")
    outcomes: list[str] = []
    for line in lines:
        item = _BULLET.sub("", line).strip().rstrip(";").strip()
        if not item:
            continue
        # A line that is only an introduction ('On completion, learners will be able to:') is no outcome.
        if item.endswith(":") and len(lines) > 1:
            continue
        outcomes.append(item)
    return outcomes


@cache
def _language_names() -> dict[str, str]:
    return {name.lower(): code for code, name in languages().items()}


def parse_languages(text: str) -> list[str]:
    """'en', 'English; French', 'EN/FR' -> ISO 639-1 codes."""
    value = str(text).strip()
    if not value:
        return []
    names = _language_names()
    codes: list[str] = []
    for part in re.split(r"[;,/|\n]|\band\b", value):
        item = part.strip().lower()
        if not item:
            continue
        if item in languages():
            codes.append(item)
        elif item in names:
            codes.append(names[item])
        else:
            raise ValueProblem(
                f"Unknown language '{part.strip()[:30]}' (give an ISO 639-1 code such as 'en', or its English name)."
            )
    return list(dict.fromkeys(codes))


def parse_eqf(text: str) -> int | None:
    """'6', 'EQF 6', 'Level 6', 'EQF level 6' -> 6."""
    value = str(text).strip()
    if not value:
        return None
    match = re.fullmatch(r"(?:eqf)?\s*(?:level)?\s*(\d+)(?:\.0)?", value.lower())
    if match is None:
        raise ValueProblem(f"'{value[:30]}' is not an EQF level (write 1 to 8).")
    level = int(match.group(1))
    if not 1 <= level <= 8:
        raise ValueProblem(f"EQF levels run from 1 to 8; {level} is not one.")
    return level


def parse_isced(text: str) -> str:
    """'0613', '613', '0613 Software and applications development' -> '0613'."""
    value = str(text).strip()
    if not value:
        return ""
    match = re.match(r"(\d{3,4})\b", value)
    if match:
        code = match.group(1).zfill(4)
        if code in isced_fields():
            return code
        raise ValueProblem(f"'{code}' is not an ISCED-F 2013 field code (e.g. 0613).")
    by_name = {name.lower(): code for code, name in isced_fields().items()}
    if value.lower() in by_name:
        return by_name[value.lower()]
    raise ValueProblem(f"'{value[:40]}' is not an ISCED-F 2013 field (give its code, e.g. 0613).")


def parse_choice(text: str, choices: list[tuple[str, str]], what: str) -> str:
    """A choice by its value or its label, in any case."""
    value = str(text).strip()
    if not value:
        return ""
    lowered = value.lower()
    for code, label in choices:
        if lowered in (str(code).lower(), str(label).lower()):
            return str(code)
    options = ", ".join(f"'{label}'" for _, label in choices[:8])
    raise ValueProblem(f"'{value[:40]}' is not a {what} (one of {options}).")


def parse_boolean(text: str) -> bool:
    value = str(text).strip().lower()
    if value in ("yes", "y", "true", "1", "x", "ja", "oui"):
        return True
    if value in ("", "no", "n", "false", "0"):
        return False
    raise ValueProblem(f"'{value[:20]}' is not yes or no.")
