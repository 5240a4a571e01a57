"""The names of the months: the one place the app spells them, for reading dates and for showing them.

English, never the locale's: Qt sets the C library's locale from the environment, so ``strftime``'s
month directives would name months in the reader's language in the window but in English in the CLI.
"""

from __future__ import annotations

#: "January" ... "December".
MONTH_NAMES = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
               "October", "November", "December")
#: "Jan" ... "Dec", as dates are shown in lists ("17 Jan 1950") and as BibTeX's month macros (lower case).
MONTH_ABBREVIATIONS = tuple(name[:3] for name in MONTH_NAMES)
#: The Russian genitive ("3 сентября 1949"), as Russian archival descriptions date a document.
RUSSIAN_GENITIVE_NAMES = ("января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа", "сентября",
                          "октября", "ноября", "декабря")


def month_name(month: int) -> str:
    """The English name of *month* (1-12): "March"."""
    return MONTH_NAMES[month - 1]


def month_abbreviation(month: int) -> str:
    """The three-letter English abbreviation of *month* (1-12): "Mar"."""
    return MONTH_ABBREVIATIONS[month - 1]
