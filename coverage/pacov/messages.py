"""Marking text for the page's translations, at any layer: the catalogs (locale/catalogs.py) collect
every ``N_("…")`` and ``_("…")`` of the package; the outputs translate what they show."""


def N_(message):
    """Mark ``message`` for the catalogs where it is defined; it is translated where it is shown."""
    return message


def untranslated(message, **values):
    """The English source text with its {placeholders} filled: a ``_`` for output with no page language."""
    return message.format(**values) if values else message
