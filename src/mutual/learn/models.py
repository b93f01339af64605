"""The reference library: the books and papers behind Mutual's model."""

from __future__ import annotations

import uuid

from django.db import models
from django.utils.translation import gettext_lazy


class Reference(models.Model):
    """One book, article or chapter, with the concept pages that cite it."""

    class Kind(models.TextChoices):
        BOOK = "book", gettext_lazy("Book")
        ARTICLE = "article", gettext_lazy("Article")
        CHAPTER = "chapter", gettext_lazy("Chapter")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    #: A stable, human-readable name used by references.json and its loader.
    key = models.SlugField(max_length=80, unique=True)
    authors = models.CharField(max_length=500)
    year = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=500)
    #: The publisher of a book, the journal of an article, the book holding a chapter.
    venue = models.CharField(max_length=500)
    #: Volume, issue and pages, or the place of publication.
    details = models.CharField(max_length=200, blank=True)
    doi = models.CharField("DOI", max_length=200, blank=True)
    isbn = models.CharField("ISBN", max_length=20, blank=True)
    url = models.URLField("URL", blank=True)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    #: Slugs of the concept pages that cite this reference.
    concepts = models.JSONField(default=list, blank=True)
    #: What Mutual takes from this work, in our own words.
    note = models.TextField(blank=True)

    class Meta:
        ordering = ("authors", "year", "title")

    def __str__(self) -> str:
        return f"{self.short_citation}. {self.title}"

    @property
    def short_citation(self) -> str:
        """ "Reis & Shaver, 1988" style: first author's surname, "et al." beyond two."""
        names = [part.strip() for part in self.authors.split(";") if part.strip()]
        surnames = [name.split(",")[0].strip() for name in names]
        if len(surnames) == 1:
            who = surnames[0]
        elif len(surnames) == 2:
            who = f"{surnames[0]} & {surnames[1]}"
        else:
            who = f"{surnames[0]} et al."
        return f"{who}, {self.year}"

    @property
    def author_list(self) -> str:
        """Authors as written in a reference list: "A, B & C"."""
        names = [part.strip() for part in self.authors.split(";") if part.strip()]
        if len(names) <= 1:
            return "".join(names)
        return ", ".join(names[:-1]) + " & " + names[-1]

    @property
    def doi_url(self) -> str:
        return f"https://doi.org/{self.doi}" if self.doi else ""
