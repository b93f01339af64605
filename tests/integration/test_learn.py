"""The learning library: concept pages, the reference library, and the links from every
engine rule to the idea that explains it. The library is public: the visitors here are
not signed in."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from django.template import Context, Template, TemplateSyntaxError
from django.test import Client
from django.urls import reverse

from mutual.learn.concepts import (
    CONCEPTS,
    RULE_CONCEPTS,
    RULES,
    concept_source,
    rules_for,
    why_url,
)
from mutual.learn.loading import REFERENCES_PATH
from mutual.learn.models import Reference
from mutual.learn.render import render

pytestmark = pytest.mark.django_db

#: The rule keys of the engine, as the brief of the library names them.
ENGINE_RULE_KEYS = (
    "stake",
    "responsiveness",
    "honored",
    "dishonored",
    "strain",
    "breach",
    "deception",
    "repair",
    "forgetting",
    "lower_bound",
    "gate",
    "step_back",
    "mutual_index",
    "breadth",
    "balance",
    "attunement",
    "safety_mode",
    "withdrawal",
    "sealed",
)

#: Every source DESIGN.md and SECURITY.md name: (first author's surname, year or None).
NAMED_SOURCES = (
    ("Reis", 1988),
    ("Laurenceau", 1998),
    ("Laurenceau", 2005),
    ("Altman", 1973),
    ("Aron", 1997),
    ("Sprecher", 2013),
    ("Jøsang", 2002),
    ("Slovic", 1993),
    ("Schweitzer", 2006),
    ("Lount", 2008),
    ("Simpson", 2007),
    ("Wieselquist", 1999),
    ("Ickes", 1990),
    ("Fosha", 2000),
    ("Wall", 2005),
    ("Gottman", None),
    ("Freed", 2018),
    ("Havron", 2019),
)
#: Page titles stay neutral: the site's own title, or "Mutual — Learn" when the base
#: template lets a page name its section.
NEUTRAL_TITLE = re.compile(r"<title>Mutual(?: — Learn)?</title>")


@pytest.fixture(autouse=True)
def _static_root(settings) -> None:  # type: ignore[no-untyped-def]
    """WhiteNoise warns (an error under this suite) when the static root is missing."""
    Path(settings.STATIC_ROOT).mkdir(parents=True, exist_ok=True)


def _first_surname(reference: Reference) -> str:
    return reference.authors.split(";")[0].split(",")[0].strip()


def _get(client: Client, name: str, *args: str, **query: str):  # type: ignore[no-untyped-def]
    return client.get(reverse(name, args=args), query)


def _listed_keys(html: str) -> list[str]:
    return re.findall(r'<li id="ref-([a-z0-9-]+)">', html)


# Concept pages ------------------------------------------------------------------------


@pytest.mark.parametrize("slug", CONCEPTS)
def test_every_concept_page_renders_with_a_neutral_title(client: Client, slug: str) -> None:
    response = _get(client, "learn:concept", slug)
    assert response.status_code == 200
    html = response.content.decode()
    assert NEUTRAL_TITLE.search(html)
    assert f"<h1>{CONCEPTS[slug].title}</h1>" in html.replace("&#x27;", "'")
    assert "What Mutual does because of this</h2>" in html


@pytest.mark.parametrize("slug", CONCEPTS)
def test_every_concept_page_cites_references_that_exist(client: Client, slug: str) -> None:
    html = _get(client, "learn:concept", slug).content.decode()
    sources = html.split('<h2 id="sources">')[1]
    cited = [r for r in Reference.objects.all() if slug in r.concepts]
    assert cited, f"{slug} cites nothing"
    for reference in cited:
        assert reference.title in sources.replace("&#x27;", "'").replace("&amp;", "&")


@pytest.mark.parametrize("slug", CONCEPTS)
def test_every_year_cited_in_a_concept_text_is_one_of_its_sources(slug: str) -> None:
    """An in-text citation such as "(Slovic, 1993)" must name a reference that the page
    lists, with the first author's surname written just before the year."""
    text = concept_source(slug)
    cited = [r for r in Reference.objects.all() if slug in r.concepts]
    years = list(re.finditer(r"\b(19|20)\d\d\b", text))
    assert years, f"{slug} cites no research in its text"
    for match in years:
        before = text[max(0, match.start() - 60) : match.start()]
        year = int(match.group())
        assert any(r.year == year and _first_surname(r) in before for r in cited), (
            f"{slug}: {before!r}{year} is not among its sources"
        )


@pytest.mark.parametrize("slug", CONCEPTS)
def test_every_concept_page_is_several_paragraphs_in_plain_words(slug: str) -> None:
    html = str(render(concept_source(slug)))
    assert html.count("<p>") >= 5
    assert "<script" not in html


def test_an_unknown_concept_answers_404(client: Client) -> None:
    assert _get(client, "learn:concept", "astrology").status_code == 404


def test_the_library_home_links_every_concept(client: Client) -> None:
    html = _get(client, "learn:index").content.decode()
    assert NEUTRAL_TITLE.search(html)
    for slug in CONCEPTS:
        assert f'href="{reverse("learn:concept", args=[slug])}"' in html


# Why does Mutual do this? -------------------------------------------------------------


@pytest.mark.parametrize("key", ENGINE_RULE_KEYS)
def test_every_engine_rule_maps_to_an_existing_concept(key: str) -> None:
    assert RULE_CONCEPTS[key] in CONCEPTS
    assert key in RULES


def test_rules_and_their_mapping_cover_the_same_keys() -> None:
    assert set(RULES) == set(RULE_CONCEPTS) == set(ENGINE_RULE_KEYS)


@pytest.mark.parametrize("key", ENGINE_RULE_KEYS)
def test_the_why_link_lands_on_the_rule_on_its_concept_page(client: Client, key: str) -> None:
    path, anchor = why_url(key).split("#")
    response = client.get(path)
    assert response.status_code == 200
    assert f'id="{anchor}"' in response.content.decode()
    assert RULES[key] in rules_for(RULE_CONCEPTS[key])


def test_the_why_tag_renders_a_small_link() -> None:
    html = Template('{% load learn_tags %}{% why "gate" %}').render(Context())
    assert ">Why does Mutual do this?</a>" in html
    assert f'href="{reverse("learn:concept", args=["depth-gate"])}#rule-gate"' in html


def test_the_why_tag_refuses_a_rule_mutual_does_not_have() -> None:
    with pytest.raises(TemplateSyntaxError, match="no rule called 'luck'"):
        Template('{% load learn_tags %}{% why "luck" %}').render(Context())


def test_the_model_page_lists_every_rule_with_its_link(client: Client) -> None:
    html = _get(client, "learn:model").content.decode()
    assert NEUTRAL_TITLE.search(html)
    for key in ENGINE_RULE_KEYS:
        assert f'<li id="{key}">' in html
        assert f'href="{why_url(key)}"' in html


# The reference library ----------------------------------------------------------------


@pytest.mark.parametrize(("surname", "year"), NAMED_SOURCES)
def test_every_source_named_in_the_design_is_in_the_library(surname: str, year: int | None) -> None:
    found = Reference.objects.filter(authors__startswith=surname)
    if year is not None:
        found = found.filter(year=year)
    assert found.exists()


def test_references_json_is_well_formed() -> None:
    entries = json.loads(REFERENCES_PATH.read_text(encoding="utf-8"))
    keys = [entry["key"] for entry in entries]
    assert len(keys) == len(set(keys))
    for entry in entries:
        assert entry["kind"] in Reference.Kind.values, entry["key"]
        assert entry["concepts"], f"{entry['key']} is cited by no concept"
        assert set(entry["concepts"]) <= set(CONCEPTS), entry["key"]
        assert entry["doi"] == "" or re.fullmatch(r"10\.\d{4,9}/\S+", entry["doi"]), entry["key"]
        assert 1900 <= entry["year"] <= 2100, entry["key"]
    assert Reference.objects.count() == len(entries)


def test_the_reference_list_shows_everything_without_filters(client: Client) -> None:
    response = _get(client, "learn:references")
    assert response.status_code == 200
    html = response.content.decode()
    assert NEUTRAL_TITLE.search(html)
    assert sorted(_listed_keys(html)) == sorted(Reference.objects.values_list("key", flat=True))
    assert "All references" in html


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"q": "slovic"}, {"slovic-1993"}),
        ({"q": "Taking turns"}, {"sprecher-et-al-2013"}),
        ({"q": "Risk Analysis"}, {"slovic-1993"}),
        (
            {"q": "Laurenceau"},
            {"laurenceau-barrett-pietromonaco-1998", "laurenceau-barrett-rovine-2005"},
        ),
        ({"concept": "staying-safe"}, {"freed-et-al-2018", "havron-et-al-2019", "stark-2007"}),
        ({"concept": "attunement", "kind": "article"}, {"ickes-et-al-1990", "stinson-ickes-1992"}),
        ({"year_from": "2013"}, {"sprecher-et-al-2013", "havron-et-al-2019", "freed-et-al-2018"}),
        ({"year_from": "1988", "year_to": "1990"}, {"reis-shaver-1988", "ickes-et-al-1990"}),
        ({"q": "trust", "kind": "book"}, {"wall-2005"}),
        ({"q": "no such words anywhere"}, set()),
    ],
)
def test_search_and_filters_narrow_the_list(
    client: Client, query: dict[str, str], expected: set[str]
) -> None:
    response = client.get(reverse("learn:references"), query)
    assert response.status_code == 200
    assert set(_listed_keys(response.content.decode())) == expected


def test_the_kind_filter_keeps_only_that_kind(client: Client) -> None:
    html = _get(client, "learn:references", kind="book").content.decode()
    books = set(Reference.objects.filter(kind="book").values_list("key", flat=True))
    assert set(_listed_keys(html)) == books
    assert len(books) >= 4


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"concept": "astrology"}, "There is no concept called “astrology”"),
        ({"kind": "poem"}, "Choose book, article or chapter as the kind."),
        ({"year_from": "last year"}, "Write a year as four digits, for example 1998."),
        ({"year_to": "99999"}, "Choose a year up to 2100."),
        ({"year_from": "2010", "year_to": "1990"}, "must not be earlier than"),
        ({"q": "x" * 201}, "Keep the search to 200 characters or fewer."),
        ({"q": "trust\x00"}, "Null characters are not allowed."),
    ],
)
def test_a_bad_filter_gets_a_clear_message_not_an_error(
    client: Client, query: dict[str, str], message: str
) -> None:
    response = client.get(reverse("learn:references"), query)
    assert response.status_code == 400
    html = response.content.decode().replace("&#x27;", "'").replace("&quot;", '"')
    assert "Some filters could not be used" in html
    assert message in html
    assert 'aria-invalid="true"' in html


def test_a_bad_filter_does_not_stop_the_good_ones(client: Client) -> None:
    response = client.get(reverse("learn:references"), {"kind": "poem", "q": "Slovic"})
    assert response.status_code == 400
    assert _listed_keys(response.content.decode()) == ["slovic-1993"]


# The renderer -------------------------------------------------------------------------


def test_the_renderer_knows_paragraphs_headings_lists_and_links() -> None:
    html = str(
        render(
            "First line\nstill first.\n\n## A heading\n\n- one\n- two [trust](concept:trust)\n\n"
            "See [the source](https://doi.org/10.1/x)."
        )
    )
    assert "<p>First line still first.</p>" in html
    assert '<h2 id="a-heading">A heading</h2>' in html
    assert f'<li>two <a href="{reverse("learn:concept", args=["trust"])}">trust</a></li>' in html
    assert '<a href="https://doi.org/10.1/x">the source</a>' in html


@pytest.mark.parametrize(
    "source",
    [
        "<script>alert(1)</script>",
        "[click](javascript:alert(1))",
        "[click](javascript:void)",
        "[x](//evil.example/)",
        "[x](data:text/html,hi)",
        "## <img src=x onerror=alert(1)>",
        "[x](concept:no-such-concept)",
    ],
)
def test_the_renderer_lets_no_markup_or_unsafe_link_through(source: str) -> None:
    html = str(render(source))
    assert "<script" not in html
    assert "<img" not in html
    assert "<a" not in html


def test_the_renderer_escapes_quotes_inside_an_allowed_link() -> None:
    html = str(render('[x](https://a.example/"onmouseover="alert)'))
    assert '<a href="https://a.example/&quot;onmouseover=&quot;alert">x</a>' in html


# The documentation --------------------------------------------------------------------

DOCS = Path(__file__).resolve().parents[2] / "docs" / "learn.md"


def test_the_documented_rule_table_matches_the_mapping() -> None:
    """docs/learn.md cannot drift from RULE_CONCEPTS: its table is read back here."""
    section = DOCS.read_text(encoding="utf-8").split("## Why does Mutual do this?")[1]
    documented: dict[str, str] = {}
    for line in section.splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) == 2 and cells[1].startswith("`"):
            for key in re.findall(r"`([a-z_]+)`", cells[0]):
                documented[key] = cells[1].strip("`")
    assert documented == RULE_CONCEPTS


def test_every_concept_is_documented() -> None:
    text = DOCS.read_text(encoding="utf-8")
    for slug, concept in CONCEPTS.items():
        assert f"| `{slug}` | {concept.title} |" in text
