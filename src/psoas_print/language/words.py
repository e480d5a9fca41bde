"""The words of one language: its labels from the message catalogues, and numbers, ranges,
dates, weekdays and lists formatted by Babel from CLDR's data for it."""

from __future__ import annotations

import datetime
import functools
import gettext as gettext_module
import re
from collections.abc import Iterable, Sequence

from babel.core import Locale, UnknownLocaleError
from babel.dates import format_date, get_day_names
from babel.lists import format_list
from babel.numbers import format_decimal

from psoas_print.book.model import Count
from psoas_print.book.typography import punctuate

ENGLISH = "en"
# A number and the word after it stay on one line: "10 seconds", "2-3 breaths".
_NUMBER_THEN_SPACE = re.compile(r"(%\((?:count|num|sets|high)\)s) ")


class Words:
    """Labels and formatting in ``language`` (a BCP 47 tag, such as "de" or "en-GB")."""

    def __init__(
        self, language: str, catalogues: Sequence[gettext_module.NullTranslations] = ()
    ) -> None:
        self.language = language
        self.catalogues = tuple(catalogues)  # the first that translates a message wins
        self.locale = babel_locale(language)

    def gettext(self, message: str, /, **values: object) -> str:
        """The label ``message`` (its English text) in this language, filled with ``values``."""
        for catalogue in self.catalogues:
            if (found := catalogue.gettext(message)) != message:
                return self._fill(found, values)
        return self._fill(message, values)

    def ngettext(self, singular: str, plural: str, n: int, /, **values: object) -> str:
        """The form of a label for ``n`` things, by the language's plural rules."""
        english = singular if n == 1 else plural
        for catalogue in self.catalogues:
            if (found := catalogue.ngettext(singular, plural, n)) != english:
                return self._fill(found, values)
        return self._fill(english, values)

    def _fill(self, text: str, values: dict[str, object]) -> str:
        text = _NUMBER_THEN_SPACE.sub("\\1\u00a0", punctuate(text, self.language))
        return text % values if values else text

    def number(self, value: int) -> str:
        return format_decimal(value, locale=self.locale)

    def count(self, value: Count) -> str:
        """A number, or a range of them with the language's dash and spacing (6-10 with an
        en dash in English)."""
        if value.low == value.high:
            return self.number(value.low)
        # Translators: a range of numbers, such as 6-10 repetitions.
        low, high = self.number(value.low), self.number(value.high)
        return self.gettext("%(low)s\u2013%(high)s", low=low, high=high)

    def date(self, day: datetime.date) -> str:
        """A date as the language writes it in full: 26 November 2026, 26. November 2026."""
        return format_date(day, "long", locale=self.locale)

    def day_of_week(self, day: datetime.date) -> str:
        """A log column's head: the short weekday name and the day of the month."""
        names = get_day_names("short", context="stand-alone", locale=self.locale)
        return f"{names[day.weekday()]} {self.number(day.day)}"  # wraps in a narrow column

    def weekdays(self) -> list[str]:
        """The abbreviated names of the days, in the order a week starts where it is read:
        on Monday in most of Europe, on Sunday in the United States and Brazil."""
        names = get_day_names("abbreviated", context="stand-alone", locale=self.locale)
        first = self.locale.first_week_day
        return [names[(first + offset) % 7] for offset in range(7)]

    def listing(self, names: Iterable[str]) -> str:
        """Names as a sentence lists them: "A, B and C", "A, B und C", "A, B et C"."""
        items = list(names)
        return format_list(items, locale=self.locale) if items else ""


@functools.cache
def babel_locale(language: str) -> Locale:
    """Babel's locale for a BCP 47 tag; English's for one CLDR does not know."""
    try:
        return Locale.parse(language, sep="-")
    except (UnknownLocaleError, ValueError):
        try:
            return Locale.parse(language.split("-")[0])
        except (UnknownLocaleError, ValueError):
            return Locale.parse(ENGLISH)
