"""The page's catalogs: every message of the source translated in each language, the catalogs and their
compiled .mo current with the source, marked unreviewed; and --lang ru/kk pages in those languages."""

import importlib.util
import json
import re

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

from conftest import ROOT, ranges, run_pacov, sites, square

LOCALE = ROOT / "coverage" / "pacov" / "locale"
LANGUAGES = ("ru", "kk")
PLACEHOLDER = re.compile(r"\{(\w+)\}")


def source_messages():
    """Every _("…") and N_("…") of the package, extracted by Babel from the source (not by pacov)."""
    found = extract_from_dir(
        ROOT / "coverage" / "pacov", method_map=[("**.py", "python")], keywords={"_": None, "N_": None}
    )
    return {message for _, _, message, _, _ in found}


def catalog(language, suffix="po"):
    path = LOCALE / language / "LC_MESSAGES" / f"pacov.{suffix}"
    with open(path, "rb") as f:
        return (read_po if suffix == "po" else read_mo)(f)


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_message_has_a_translation_with_the_same_placeholders(language):
    messages = source_messages()
    assert len(messages) > 50  # the page's headings, sentences and column headings
    po = {m.id: m.string for m in catalog(language) if m.id}
    assert set(po) == messages, "catalog lags the source: run make catalogs"
    for msgid, msgstr in po.items():
        assert msgstr.strip(), f"{language}: no translation for {msgid!r}"
        assert sorted(PLACEHOLDER.findall(msgstr)) == sorted(PLACEHOLDER.findall(msgid)), (language, msgid)


@pytest.mark.parametrize("language", LANGUAGES)
def test_compiled_catalog_matches_its_po_and_says_unreviewed(language):
    po, mo = catalog(language), catalog(language, "mo")
    assert {m.id: m.string for m in po if m.id} == {m.id: m.string for m in mo if m.id}
    text = (LOCALE / language / "LC_MESSAGES" / "pacov.po").read_text(encoding="utf-8")
    assert text.startswith("# Unreviewed machine translation")
    assert '"X-Review-Status: unreviewed machine translation\\n"' in text
    assert "#, fuzzy" not in text  # a fuzzy header would make gettext tools skip the catalog


def test_template_is_current():
    with open(LOCALE / "pacov.pot", "rb") as f:
        assert {m.id for m in read_po(f) if m.id} == source_messages()


def test_the_catalog_tool_reproduces_the_committed_catalogs(tmp_path, monkeypatch):
    """make catalogs on an unchanged source rewrites the same bytes (nothing to commit)."""
    import shutil

    copy = tmp_path / "locale"
    shutil.copytree(LOCALE, copy)
    spec = importlib.util.spec_from_file_location("catalogs", copy / "catalogs.py")
    tool = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(tool)
    monkeypatch.setattr(tool, "HERE", copy)
    monkeypatch.setattr(tool, "PACKAGE", LOCALE.parent)
    assert tool.main() == 0
    for path in LOCALE.rglob("pacov.*"):
        assert (copy / path.relative_to(LOCALE)).read_bytes() == path.read_bytes(), path.name


@pytest.fixture(scope="module")
def pages(tmp_path_factory):
    """A small study's page in each language (Cyrillic from the catalogs; names from the data unchanged)."""
    folder = tmp_path_factory.mktemp("lang")
    sites([{"WDPAID": 1, "NAME": "Aksu-Zhabagly", "geometry": square(0, 0, 20)}]).to_crs("EPSG:4326").to_file(
        folder / "pa.geojson"
    )
    ranges([{"sci_name": "Ovis ammon", "common_name": "Argali", "geometry": square(0, 0, 60)}]).to_crs(
        "EPSG:4326"
    ).to_file(folder / "ranges.geojson")
    ranges([{"sci_name": "x", "geometry": square(-10, -10, 100)}]).to_crs("EPSG:4326").to_file(folder / "land.geojson")
    (folder / "study.toml").write_text(
        'name = "Testland"\n[layers]\nprotected = "pa.geojson"\nranges = "ranges.geojson"\nregion = "land.geojson"\n'
        '[[targets]]\nlabel = "Half"\nshare = 0.5\nyear = 2035\nsource = "by hand"\n',
        encoding="utf-8",
    )
    out = {}
    for language in ("en", *LANGUAGES):
        page = folder / f"{language}.html"
        done = run_pacov(
            "report", folder / "study.toml", "--out-dir", folder / language, "--html", page, "--lang", language
        )
        assert done.returncode == 0, done.stderr
        out[language] = page.read_text(encoding="utf-8")
    return out


@pytest.mark.parametrize(
    "language,headings,column",
    [
        ("ru", ["Сколько территории охраняется?", "Каким видам не хватает охраны?", "Где?", "Как росла сеть?"], "Вид"),
        ("kk", ["Қанша аумақ қорғалады?", "Қай түрлерге қорғау жетіспейді?", "Қай жерде?", "Желі қалай өсті?"], "Түр"),
    ],
)
def test_pages_in_russian_and_kazakh(pages, language, headings, column):
    page = pages[language]
    assert f'<html lang="{language}">' in page
    for heading in headings:
        assert f"<h2>{heading}</h2>" in page
    assert f">{column}</th>" in page and ">Species</th>" not in page
    english = set(re.findall("<h2>(.*?)</h2>", pages["en"]))
    assert english and not english & set(re.findall("<h2>(.*?)</h2>", page))  # every heading translated
    assert "How much is protected?" not in page and "Argali (Ovis ammon)" in page and "Testland" in page
    # the gap to the target (about 460,000 ha) in the locale's digits: a space groups thousands, ha is га
    assert re.search("\\d{3}[\u00a0\u202f]\\d{3} га", page)
    assert re.search("\\d,\\d млн га", page)  # a decimal comma


@pytest.mark.parametrize(
    "language,words",
    [
        ("ru", ["3.1 охраняемые и сохраняемые территории", "% суши", "Half: 50 к 2035", "год (STATUS_YR)"]),
        (
            "kk",
            ["3.1 қорғалатын және сақталатын аумақтар", "құрлықтың %", "Half: 2035 жылға қарай 50", "жыл (STATUS_YR)"],
        ),
    ],
)
def test_the_gbf_chart_speaks_the_page_language(pages, language, words):
    """The chart's titles, units, legends and axis in the page's language; the study's target label is a name."""
    chart = re.search('<div class="chart gbf-chart">(.*?)</svg>', pages[language], re.S).group(1)
    texts = " ".join(re.findall("<text[^>]*>([^<]*)</text>", chart))
    assert all(word in texts for word in words), texts
    english = re.search('<div class="chart gbf-chart">(.*?)</svg>', pages["en"], re.S).group(1)
    assert "3.1 protected and conserved areas" in english and "% of land" in english and "Half: 50 by 2035" in english
    assert "protected and conserved" not in chart and "of land" not in chart and " by " not in texts
    table = re.search('<table id="gbf-table">(.*?)</table>', pages[language], re.S).group(1)
    assert words[0] in table and words[1] in table and "of land" not in table and "observed" not in table


def test_english_is_the_source(pages):
    assert "<h2>How much is protected?</h2>" in pages["en"]
    assert re.search(r"\d{3},\d{3} ha", pages["en"]) and re.search(r"\d\.\d million ha", pages["en"])


def test_unknown_language_is_refused():
    done = run_pacov("report", "--lang", "fr")
    assert done.returncode == 2 and "fr" in done.stderr


def test_mo_is_what_gettext_reads():
    import gettext

    translations = gettext.translation("pacov", LOCALE, languages=["kk"])
    assert translations.gettext("Where?") == "Қай жерде?"


@pytest.mark.parametrize(
    "language,legend,protected", [("ru", "Условные обозначения", "Охраняется"), ("kk", "Шартты белгілер", "Қорғалған")]
)
def test_the_map_in_the_page_speaks_the_page_language(pages, language, legend, protected):
    """Issue 25: the map's own words (legend, headline) are translated with the page; names stay."""
    import html
    import json

    shown = html.unescape(pages[language])  # the map's srcdoc; its panels are JSON strings (\\u escapes)
    for word in (legend, protected):
        assert json.dumps(word)[1:-1] in shown or word in shown, word
    english = html.unescape(pages["en"])
    assert "Legend" in english and json.dumps(legend)[1:-1] not in english
    assert "Argali (Ovis ammon)" in shown


def test_scenario_maps_and_their_index_in_kazakh(tmp_path):
    """``pacov map --lang kk``: the headline, the own-baseline line and the index in Kazakh, numbers in its digits."""
    scenario = ROOT / "layers" / "kazakhstan" / "scenarios" / "merke.toml"
    done = run_pacov("map", scenario, "--out-dir", tmp_path, "--offline", "--lang", "kk")
    assert done.returncode == 0, done.stderr
    page = (tmp_path / "merke.html").read_text(encoding="utf-8")
    shown = lambda text: json.dumps(text)[1:-1] in page  # noqa: E731 (the panels are JSON strings, \u-escaped)
    assert shown("Сценарий: merke") and shown("Бүгінгі күнмен салыстырғандағы өзгеріс")
    assert shown("2024 жылғы желімен салыстырғанда") and "Change against today" not in page
    index = (tmp_path / "index.html").read_text(encoding="utf-8")
    assert '<html lang="kk">' in index and "pacov сценарий карталары" in index and "<th>Сипаттама</th>" in index
    assert re.search("\\+\\d{1,3}[\u00a0\u202f]\\d{3} га", index)  # Merke against the 2024 estate, kk digits
