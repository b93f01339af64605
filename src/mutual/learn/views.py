"""The learning library: public pages, no sign-in needed."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy

from .concepts import CONCEPTS, RULE_CONCEPTS, RULES, concept_source, rules_for
from .forms import ReferenceFilterForm, filter_references
from .models import Reference
from .render import render as render_text

TITLE = gettext_lazy("Mutual — Learn")


def index(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "learn/index.html",
        {"page_title": TITLE, "concepts": CONCEPTS.values(), "rule_count": len(RULES)},
    )


def concept(request: HttpRequest, slug: str) -> HttpResponse:
    found = CONCEPTS.get(slug)
    if found is None:
        raise Http404("No such concept.")
    references = [r for r in Reference.objects.all() if slug in r.concepts]
    return render(
        request,
        "learn/concept.html",
        {
            "page_title": TITLE,
            "concept": found,
            "body": render_text(concept_source(slug)),
            "rules": rules_for(slug),
            "references": references,
        },
    )


def model(request: HttpRequest) -> HttpResponse:
    rules = [(rule, CONCEPTS[RULE_CONCEPTS[rule.key]]) for rule in RULES.values()]
    return render(request, "learn/model.html", {"page_title": TITLE, "rules": rules})


def references(request: HttpRequest) -> HttpResponse:
    form = ReferenceFilterForm(request.GET)
    valid = form.is_valid()
    form.mark_errors()
    found = [
        (reference, [CONCEPTS[slug] for slug in reference.concepts if slug in CONCEPTS])
        for reference in filter_references(form.cleaned_data)
    ]
    filtered = any(value not in (None, "") for value in form.cleaned_data.values())
    return render(
        request,
        "learn/references.html",
        {
            "page_title": TITLE,
            "form": form,
            "references": found,
            "filtered": filtered,
        },
        status=200 if valid else 400,
    )
