"""Phrases built from a book's data in the product's language: doses ("6-10 reps each
side, hold 10 s"), the difficulty levels, and the labels of the figures."""

from __future__ import annotations

from psoas_print.book.model import Dose, Level
from psoas_print.language.words import Words


def N_(message: str) -> str:
    """Mark ``message`` for the catalogues; it is translated where it is shown."""
    return message


LEVELS: dict[Level, str] = {
    "beginner": N_("beginner"),
    "intermediate": N_("intermediate"),
    "advanced": N_("advanced"),
}
BREATHS = {"inhale": N_("inhale"), "exhale": N_("exhale")}  # the figures' breath labels


def level_name(level: Level, words: Words) -> str:
    return words.gettext(LEVELS[level])


def breath_label(label: str, words: Words) -> str:
    return words.gettext(BREATHS[label])


def dose_summary(dose: Dose, words: Words) -> str:
    """The dose as one would say it on a card: "2 sets of 6-10 reps each side, hold 10 s"."""
    count, high = words.count(dose.reps), dose.reps.high
    if dose.per_side:
        reps = words.ngettext(
            "%(count)s rep each side", "%(count)s reps each side", high, count=count
        )
    else:
        reps = words.ngettext("%(count)s rep", "%(count)s reps", high, count=count)
    if dose.sets > 1:
        reps = words.ngettext(
            "%(sets)s set of %(reps)s", "%(sets)s sets of %(reps)s", dose.sets,
            sets=words.number(dose.sets), reps=reps,
        )  # fmt: skip
    parts = [reps]
    hold = hold_text(dose, words, short=True)
    if hold:
        parts.append(words.gettext("hold %(time)s", time=hold))
    if dose.note:
        parts.append(dose.note)
    return ", ".join(parts)


def repetitions(dose: Dose, words: Words) -> str:
    """The repetitions in full, for a dose box: "10 on each side, 2 sets"."""
    count = words.count(dose.reps)
    parts = [words.gettext("%(count)s on each side", count=count) if dose.per_side else count]
    if dose.sets > 1:
        sets = words.number(dose.sets)
        parts.append(words.ngettext("%(count)s set", "%(count)s sets", dose.sets, count=sets))
    if dose.note:
        parts.append(dose.note)
    return ", ".join(parts)


def hold_text(dose: Dose, words: Words, short: bool = False) -> str | None:
    """How long to hold, such as "10 seconds or 2-3 breaths" ("10 s" with ``short``)."""
    holds = []
    if dose.hold_seconds:
        count, high = words.count(dose.hold_seconds), dose.hold_seconds.high
        if short:
            holds.append(words.gettext("%(count)s s", count=count))
        else:
            holds.append(words.ngettext("%(count)s second", "%(count)s seconds", high, count=count))
    if dose.hold_breaths:
        count, high = words.count(dose.hold_breaths), dose.hold_breaths.high
        holds.append(words.ngettext("%(count)s breath", "%(count)s breaths", high, count=count))
    if len(holds) == 2:
        return words.gettext("%(first)s or %(second)s", first=holds[0], second=holds[1])
    return holds[0] if holds else None


def hold_or_none(dose: Dose, words: Words) -> str:
    """The hold for a dose box, which says so when there is none."""
    return hold_text(dose, words) or words.gettext("No hold: keep moving")


def frequency(per_day: int | None, per_week: int | None, words: Words) -> str:
    """How often a client does an exercise: "2 times a day" (written 2\u00d7), or a week;
    "" when not said."""
    if per_day is not None:
        return words.gettext("%(count)s\u00d7 a day", count=words.number(per_day))
    if per_week is not None:
        return words.gettext("%(count)s\u00d7 a week", count=words.number(per_week))
    return ""


def weeks(first: int, last: int | None, words: Words) -> str:
    """A stage's weeks: "Week 3", "Weeks 1-2" (with the language's dash), "Week 5 on"."""
    if last is None:
        return words.gettext("Week %(week)s on", week=words.number(first))
    if last == first:
        return words.gettext("Week %(week)s", week=words.number(first))
    return words.gettext(
        "Weeks %(first)s\u2013%(last)s", first=words.number(first), last=words.number(last)
    )
