"""Keep the page's gettext catalogs current: ``python coverage/pacov/locale/catalogs.py`` (``make catalogs``).

Extracts every ``_("…")`` and ``N_("…")`` message of the package into pacov.pot, merges it into each
language's pacov.po (existing translations kept, new messages left empty for a translator, gone ones
dropped), and compiles pacov.mo beside it. The .mo files are committed, so a fresh clone needs no
build step; tests/test_i18n.py fails when a catalog lags the source or a message lacks a translation.
Not imported by pacov (a maintainer's tool next to the catalogs it writes).
"""

import io
import sys
from datetime import UTC, datetime
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

HERE = Path(__file__).resolve().parent
PACKAGE = HERE.parent
DOMAIN = "pacov"
LANGUAGES = ("ru", "kk")
KEYWORDS = {"_": None, "N_": None}
FIXED_DATE = datetime(2026, 1, 1, tzinfo=UTC)  # catalogs carry no build time: reruns give equal bytes
REVIEW_FIELD = "X-Review-Status: unreviewed machine translation"
HEADER = (
    "Unreviewed machine translation of pacov's report page ({language}).\n"
    "Please review: a native speaker who checks this catalog should say so here and in X-Review-Status."
)


def extracted():
    """The messages of the package's source, in source order (one entry per msgid)."""
    found = {}
    for filename, lineno, message, _, _ in extract_from_dir(
        PACKAGE, method_map=[("**.py", "python")], keywords=KEYWORDS
    ):
        found.setdefault(message, (filename, lineno))
    return found


def template():
    catalog = Catalog(project="pacov", domain=DOMAIN, creation_date=FIXED_DATE, revision_date=FIXED_DATE, version="")
    for message, location in extracted().items():
        catalog.add(message, locations=[location])
    return catalog


def po_path(language, suffix="po"):
    return HERE / language / "LC_MESSAGES" / f"{DOMAIN}.{suffix}"


def read_catalog(path):
    with open(path, "rb") as f:
        return read_po(f)


def compiled(catalog):
    """The .mo bytes of a catalog (what gettext reads)."""
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    return buffer.getvalue()


def po_text(catalog, language):
    """The .po text with the unreviewed header comment and the review field (Babel drops unknown fields)."""
    catalog.header_comment = "\n".join(f"# {line}" for line in HEADER.format(language=language).splitlines())
    catalog.fuzzy = False  # a header marked fuzzy would make gettext tools skip the whole catalog
    buffer = io.BytesIO()
    write_po(buffer, catalog, width=100, include_lineno=False)
    text = buffer.getvalue().decode("utf-8")
    marker = '"Generated-By:'
    return text.replace(marker, f'"{REVIEW_FIELD}\\n"\n{marker}', 1)


def update(language):
    """Merge the template into one language's catalog and compile it; return the number of empty msgstrs."""
    path = po_path(language)
    old = read_catalog(path) if path.is_file() else Catalog(locale=language, domain=DOMAIN)
    catalog = Catalog(
        locale=language,
        domain=DOMAIN,
        project="pacov",
        version="",
        creation_date=FIXED_DATE,
        revision_date=FIXED_DATE,
        last_translator="unreviewed machine translation",
        language_team=f"{language} (unreviewed)",
    )
    for message in template():
        if message.id:
            kept = old.get(message.id)
            catalog.add(message.id, kept.string if kept else "", locations=message.locations)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(po_text(catalog, language), encoding="utf-8")
    po_path(language, "mo").write_bytes(compiled(read_catalog(path)))
    return sum(1 for m in catalog if m.id and not m.string)


def main():
    buffer = io.BytesIO()
    write_po(buffer, template(), width=100, include_lineno=False)
    (HERE / f"{DOMAIN}.pot").write_bytes(buffer.getvalue())
    missing = {language: update(language) for language in LANGUAGES}
    for language, count in missing.items():
        if count:
            print(f"{po_path(language)}: {count} messages have no translation yet", file=sys.stderr)
    return 1 if any(missing.values()) else 0


if __name__ == "__main__":
    sys.exit(main())
