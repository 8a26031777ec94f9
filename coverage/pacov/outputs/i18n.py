"""The page's language: gettext catalogs under pacov/locale (Babel's tools) and numbers per locale.

English is the source language: its messages are the msgids, so ``en`` needs no catalog. The other
languages (ru, kk) come from ``locale/<code>/LC_MESSAGES/pacov.mo``, compiled from the .po beside it and committed,
so a fresh clone works without a build step (tests/test_i18n.py checks the .mo is current). Names from
the data (sites, species, zones) are never translated.
"""

import gettext
from dataclasses import dataclass
from pathlib import Path

from babel.numbers import format_decimal, format_percent

from pacov.errors import PacovError

LOCALE_DIR = Path(__file__).resolve().parents[1] / "locale"
DOMAIN = "pacov"
LANGUAGES = ("en", "ru", "kk")


@dataclass(frozen=True)
class Language:
    """A language's messages and number formats (Babel's CLDR data: separators, decimal commas)."""

    code: str
    translations: gettext.NullTranslations

    def _(self, message, **values):
        """``message`` translated, then its {placeholders} filled with ``values``."""
        text = self.translations.gettext(message)
        return text.format(**values) if values else text

    def number(self, value, decimals=0):
        pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
        return format_decimal(round(value, decimals) + 0.0, format=pattern, locale=self.code)

    def ha(self, value):
        return self._("{value} ha", value=self.number(value))

    def mha(self, value):
        return self._("{value} million ha", value=self.number(value / 1e6, 1))

    def pct(self, share, decimals=1):
        return format_percent(round(share, decimals + 2) + 0.0, "#,##0." + "0" * decimals + "%", locale=self.code)

    def pp(self, value):
        return ("+" if value > 0 else "") + self.number(value, 2) + " " + self._("pp")


def language(code):
    """The Language for ``code`` (en, ru or kk)."""
    if code not in LANGUAGES:
        raise PacovError(f"--lang {code}: not a language of the page; choose one of {', '.join(LANGUAGES)}")
    if code == "en":
        return Language(code, gettext.NullTranslations())
    try:
        return Language(code, gettext.translation(DOMAIN, LOCALE_DIR, languages=[code]))
    except FileNotFoundError as exc:
        raise PacovError(
            f"--lang {code}: no catalog {LOCALE_DIR / code / 'LC_MESSAGES' / DOMAIN}.mo; reinstall pacov"
        ) from exc
