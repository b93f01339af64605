"""The library kept in step with the engine and honest about its sources: one page for
each mechanism of docs/engine.md, every page rendered with its sources, every article
with its DOI, and the overreaches of the first edition gone."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from mutual.learn.concepts import (
    CONCEPTS,
    MECHANISM_PAGES,
    NOT_MECHANISMS,
    RULE_CONCEPTS,
    concept_source,
)
from mutual.learn.loading import REFERENCES_PATH

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
ENGINE_DOC = ROOT / "docs" / "engine.md"
REFERENCES = json.loads(REFERENCES_PATH.read_text(encoding="utf-8"))

#: Articles published without a DOI, and why (a DOI is never guessed).
NO_DOI = {
    "josang-ismail-2002": "the Bled eConference proceedings of 2002 carry no DOIs",
    "havron-et-al-2019": "USENIX Security proceedings carry no DOIs",
}
#: DOIs the library must hold: (key, DOI).
REQUIRED_DOIS = {
    "sprecher-et-al-2013": "10.1016/j.jesp.2013.03.017",
    "lount-et-al-2008": "10.1177/0146167208324512",
    "simpson-2007": "10.1111/j.1467-8721.2007.00517.x",
    "freed-et-al-2018": "10.1145/3173574.3174241",
    "gable-et-al-2004": "10.1037/0022-3514.87.2.228",
    "baumeister-et-al-2001": "10.1037/1089-2680.5.4.323",
}


def engine_sections() -> list[str]:
    """The titles of the numbered sections of docs/engine.md ("## 4. Strain")."""
    text = ENGINE_DOC.read_text(encoding="utf-8")
    return re.findall(r"^## \d+\. (.+?)\s*$", text, flags=re.M)


def test_every_mechanism_of_the_engine_has_its_own_library_page() -> None:
    sections = engine_sections()
    assert sections, "docs/engine.md has no numbered sections"
    mechanisms = [s for s in sections if s not in NOT_MECHANISMS]
    missing = [s for s in mechanisms if s not in MECHANISM_PAGES]
    assert missing == [], f"mechanisms of docs/engine.md without a library page: {missing}"
    gone = sorted(set(MECHANISM_PAGES) - set(mechanisms))
    assert gone == [], f"library pages for mechanisms docs/engine.md no longer has: {gone}"
    pages = [MECHANISM_PAGES[m] for m in mechanisms]
    assert len(pages) == len(set(pages)), "two mechanisms share one page"
    assert set(pages) <= set(CONCEPTS)


@pytest.mark.parametrize("mechanism", sorted(MECHANISM_PAGES))
def test_each_mechanism_page_renders_with_its_sources(client: Client, mechanism: str) -> None:
    slug = MECHANISM_PAGES[mechanism]
    response = client.get(reverse("learn:concept", args=[slug]))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="sources"' in html
    assert "What Mutual does because of this</h2>" in html


@pytest.mark.parametrize("slug", sorted(set(RULE_CONCEPTS.values())))
def test_every_rule_page_is_a_mechanism_page(slug: str) -> None:
    assert slug in MECHANISM_PAGES.values()


@pytest.mark.parametrize("name", ["learn:index", "learn:model", "learn:references"])
def test_every_other_library_page_renders(client: Client, name: str) -> None:
    assert client.get(reverse(name)).status_code == 200


@pytest.mark.parametrize("entry", REFERENCES, ids=[e["key"] for e in REFERENCES])
def test_every_article_has_its_doi_where_one_exists(entry: dict[str, object]) -> None:
    if entry["kind"] != "article":
        return
    if entry["key"] in NO_DOI:
        assert entry["doi"] == "", entry["key"]
    else:
        assert re.fullmatch(r"10\.\d{4,9}/\S+", str(entry["doi"])), entry["key"]


@pytest.mark.parametrize(("key", "doi"), sorted(REQUIRED_DOIS.items()))
def test_the_missing_dois_are_there(key: str, doi: str) -> None:
    [entry] = [e for e in REFERENCES if e["key"] == key]
    assert entry["doi"] == doi


@pytest.mark.parametrize(
    "key",
    [
        "reis-clark-holmes-2004",
        "gable-et-al-2004",
        "baumeister-et-al-2001",
        "markman-stanley-blumberg-1994",
    ],
)
def test_the_works_the_library_needed_are_in_it(key: str) -> None:
    assert any(e["key"] == key for e in REFERENCES)


def test_no_page_overreaches_its_sources() -> None:
    everything = "\n".join(concept_source(slug) for slug in CONCEPTS)
    notes = "\n".join(str(e["note"]) for e in REFERENCES)
    assert "hundred kept confidences" not in everything
    assert "can get better at" not in everything
    assert "institutions" in concept_source("asymmetry")
    assert "programmed in advance" in concept_source("trust")
    assert "programmed in advance" in notes
    assert "strangers" in concept_source("attunement")
    assert "speaker–listener technique" in concept_source("repair")
