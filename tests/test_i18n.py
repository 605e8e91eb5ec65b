"""Two interface languages, complete: catalogues, the language a request gets, and what the
pages say in it (html lang, lang on text in another language, dates and numbers, GDPR articles).
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from catalogue.i18n import tools
from catalogue.i18n.catalogues import interface_languages, translate, use_language
from catalogue.i18n.formatting import date_text, duration_text, number_text
from catalogue.i18n.legal import legal_label
from catalogue.i18n.negotiation import (
    choose_language,
    environment_language,
    parse_accept_language,
)
from catalogue.i18n.template_text import untranslated, untranslated_in
from catalogue.settings import PROJECT_ROOT
from tests.test_ui_pages import BROWSER, visible_text

TEMPLATES = PROJECT_ROOT / "ui" / "templates"


# --- the catalogues ---------------------------------------------------------------------------


def test_every_template_text_is_in_the_catalogue():
    found = untranslated(TEMPLATES)
    assert not found, "text outside {% trans %} / _(): " + "; ".join(
        f"{item.template}:{item.line} {item.text!r}" for item in found[:20]
    )


def test_the_template_check_notices_plain_text_and_readable_attributes():
    source = '<h1>Hello</h1><input aria-label="Search here"><p>{% trans %}Fine{% endtrans %}</p>'
    assert [item.text for item in untranslated_in(source)] == ["Hello", "Search here"]
    assert untranslated_in('<p>{{ _("Fine") }} {{ value }} · 12</p><code>raw_code</code>') == []


def test_every_marked_string_is_in_both_catalogues_and_none_is_missing_empty_or_fuzzy():
    extracted = {m.id if isinstance(m.id, str) else m.id[0] for m in tools.extract() if m.id}
    for language in ("en", "sl"):
        catalogue = tools._read(language)
        present = {m.id if isinstance(m.id, str) else m.id[0] for m in catalogue if m.id}
        assert extracted <= present, f"{language}: run `make messages`: {extracted - present}"
        assert tools.incomplete(catalogue) == [], f"{language} entries need a translation"


def test_slovenian_keeps_every_placeholder_of_the_english():
    catalogue = tools._read("sl")
    pattern = re.compile(r"%\(\w+\)[sd]")
    for message in catalogue:
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        wanted = set(pattern.findall(ids[-1]))
        for string in strings:
            assert set(pattern.findall(string)) == wanted, (message.id, string)


def test_a_third_language_is_a_catalogue_away():
    assert set(interface_languages()) >= {"en", "sl"}
    assert translate("Datasets", "sl") == "Zbirke podatkov"
    assert translate("Datasets", "de") == "Datasets"  # no catalogue: the English source


# --- which language a request gets ----------------------------------------------------------


def test_the_query_then_the_cookie_then_the_browser_then_the_default_decide():
    available = ("en", "sl")
    assert choose_language(available, "en", "sl", "en", "en") == "sl"
    assert choose_language(available, "en", None, "sl", "en") == "sl"
    assert choose_language(available, "en", None, None, "de-DE, sl;q=0.8, en;q=0.5") == "sl"
    assert choose_language(available, "en", "xx", "yy", "fr") == "en"
    assert parse_accept_language("en;q=0.1, sl-SI, de;q=0") == ["sl", "en"]
    assert parse_accept_language("en;q=abc, *") == []


def test_the_command_line_follows_lang_and_lc_messages():
    assert environment_language({"LANG": "sl_SI.UTF-8"}, ("en", "sl")) == "sl"
    assert environment_language({"LANGUAGE": "de:sl", "LANG": "en_GB"}, ("en", "sl")) == "sl"
    assert environment_language({"LANG": "C.UTF-8"}, ("en", "sl")) is None


# --- what is said in the language -----------------------------------------------------------


def test_dates_numbers_and_durations_follow_the_locale():
    day = dt.date(2026, 11, 24)
    assert date_text(day, "en") == "24 November 2026"
    assert date_text(day, "sl") == "24. november 2026"
    assert number_text(12345, "en") == "12,345"
    assert number_text(12345, "sl") == "12.345"
    with use_language("sl"):
        assert duration_text("P10Y") == "10 let"
        assert duration_text("P2Y1M") == "2 leti, 1 mesec"
    assert duration_text("P1Y6M") == "1 year, 6 months"


def test_gdpr_articles_read_as_the_law_cites_them_in_both_languages():
    assert legal_label("legal-bases", "A6-1-c", "en") == "Article 6(1)(c) GDPR: a legal obligation"
    assert legal_label("legal-bases", "A6-1-c", "sl") == "6. člen(1)(c) GDPR: zakonska obveznost"
    assert legal_label("transfer-bases", "A45-3", "en").startswith("Article 45(3) GDPR: ")
    assert legal_label("themes", "ECON", "en") is None


async def test_a_page_is_in_the_language_asked_for_and_remembers_it(client, seeded):
    page = await client.get("/?lang=sl", headers=BROWSER)
    assert page.status_code == 200
    assert '<html lang="sl">' in page.text
    assert "Poiščite podatke, ki jih hrani javna uprava" in visible_text(page.text)
    assert page.headers["content-language"] == "sl"
    assert "lang=sl" in page.headers["set-cookie"]
    again = await client.get("/search", headers={**BROWSER, "Cookie": "lang=sl"})
    assert '<html lang="sl">' in again.text
    assert "set-cookie" not in {name.lower() for name in again.headers if name == "lang"}


async def test_the_browser_language_is_the_default_and_english_stays_english(client, seeded):
    slovenian = await client.get("/", headers={**BROWSER, "Accept-Language": "sl-SI,sl;q=0.9"})
    assert '<html lang="sl">' in slovenian.text
    english = await client.get("/", headers={**BROWSER, "Accept-Language": "en-GB"})
    assert '<html lang="en">' in english.text
    assert "Find data held by public administrations" in english.text


async def test_the_switcher_keeps_the_page_and_its_query(client, seeded):
    page = await client.get("/search?q=davki&classification=open", headers=BROWSER)
    links = dict(
        (code, href.replace("&amp;", "&"))
        for href, code in re.findall(r'<a href="([^"]+)" lang="(\w+)" hreflang', page.text)
    )
    assert set(links) == {"en", "sl"}
    for code, href in links.items():
        path, _, query = href.partition("?")
        assert path == "/search"
        assert sorted(query.split("&")) == sorted(
            ["q=davki", "classification=open", f"lang={code}"]
        )
    assert 'aria-current="true">English' in page.text


async def test_text_shown_in_another_language_than_the_page_is_marked(client, seeded):
    page = await client.get("/dataset/census-microdata?lang=sl", headers=BROWSER)
    assert '<h1 id="dataset-title">Mikropodatki registrskega popisa</h1>' in page.text
    # DPV has no Slovenian labels: the English label is marked as English
    assert re.search(r'<span lang="en">[^<]+</span>', page.text)
    assert "6. člen(1)(e) GDPR: naloga v javnem interesu" in page.text
    assert "Vsebuje osebne podatke o teh ljudeh" in page.text


async def test_an_error_page_and_a_form_problem_are_in_slovenian(client, seeded):
    missing = await client.get("/dataset/no-such-dataset?lang=sl", headers=BROWSER)
    assert missing.status_code == 404
    assert "Na tem naslovu ni strani ali pa ni javna." in missing.text
    assert '<html lang="sl">' in missing.text


def test_the_catalogue_is_read_once(monkeypatch: pytest.MonkeyPatch):
    from catalogue.i18n import catalogues

    catalogues.translations("sl")
    reads: list[Path] = []
    monkeypatch.setattr(catalogues, "read_po", lambda *a, **k: reads.append(a) or None)
    for _ in range(1000):
        translate("Datasets", "sl")
    assert reads == []


async def test_the_search_page_names_its_filters_in_slovenian(client, seeded):
    from catalogue.domain.fields import FACETS

    page = (await client.get("/search?lang=sl", headers=BROWSER)).text
    shown = re.findall(r"<summary>([^<]+)", page)
    assert shown, page[:500]
    wanted = {translate(facet.label, "sl") for facet in FACETS}
    assert set(item.strip() for item in shown) <= wanted
