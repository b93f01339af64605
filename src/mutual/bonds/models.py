"""Bonds and everything two people share inside one.

Texts that people write about themselves (revelations, replies, perspectives,
restatements, notes) are stored only encrypted with the author's data key
(``*_enc`` fields, see ``mutual.accounts.crypto``). Identifiers are random UUIDs.
Visibility is decided in ``selectors.py`` alone; nothing here decides who sees what.
"""

from __future__ import annotations

import uuid
from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy

from mutual.engine import THEMES
from mutual.web import names

PERSON = settings.AUTH_USER_MODEL
DEPTH_CHOICES = list(enumerate(names.DEPTH_WORDS))
THEME_CHOICES = [(t, names.THEME_WORDS[t]) for t in THEMES]
SIDE_CHOICES = [("a", "a"), ("b", "b")]


def new_id() -> uuid.UUID:
    return uuid.uuid4()


class Bond(models.Model):
    """Two persons in a relationship. ``person_a`` created it, ``person_b`` accepted."""

    class Kind(models.TextChoices):
        PARTNERS = "partners", gettext_lazy("Partners")
        FRIENDS = "friends", gettext_lazy("Friends")

    class Status(models.TextChoices):
        WAITING = "waiting", gettext_lazy("Waiting for the invite to be accepted")
        ACTIVE = "active", gettext_lazy("Active")
        PAUSED = "paused", gettext_lazy("Paused")
        ENDED = "ended", gettext_lazy("Ended")

    id = models.UUIDField(primary_key=True, default=new_id, editable=False)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.WAITING)
    person_a = models.ForeignKey(
        PERSON, on_delete=models.SET_NULL, null=True, related_name="bonds_as_a"
    )
    person_b = models.ForeignKey(
        PERSON, on_delete=models.SET_NULL, null=True, blank=True, related_name="bonds_as_b"
    )
    created_at = models.DateTimeField()
    #: Who paused or left ("a" or "b"), and when.
    paused_by = models.CharField(max_length=1, choices=SIDE_CHOICES, blank=True)
    left_by = models.CharField(max_length=1, choices=SIDE_CHOICES, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    #: Opt-in to `desire` prompts (partners only), per side; offered only when both opt in.
    desire_a = models.BooleanField(default=False)
    desire_b = models.BooleanField(default=False)
    #: The engine's snapshot (``mutual.engine.state_to_dict``) after ``snapshot_seq`` events.
    snapshot = models.JSONField(null=True, blank=True)
    snapshot_seq = models.PositiveIntegerField(default=0)
    #: What each side sees of the bond, versioned: raised by every write to the bond or
    #: anything in it (:func:`mutual.bonds.ledger.lock`) — both for a write both can see,
    #: only the writer's for one that stays private (a report). Nothing is kept under it
    #: (every page is rendered afresh); it says when what a side can see last changed,
    #: and that a private write changed nothing of the partner's.
    version_a = models.PositiveBigIntegerField(default=0)
    version_b = models.PositiveBigIntegerField(default=0)

    class Meta:
        indexes: ClassVar[list[models.Index]] = [
            models.Index(fields=["person_a"]),
            models.Index(fields=["person_b"]),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} bond"


class Invite(models.Model):
    """A one-time code to join a bond; only its hash is stored."""

    id = models.UUIDField(primary_key=True, default=new_id, editable=False)
    bond = models.ForeignKey(Bond, on_delete=models.CASCADE, related_name="invites")
    code_hash = models.CharField(max_length=64, unique=True)
    created_by = models.ForeignKey(PERSON, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField(db_index=True)
    used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"invite until {self.expires_at:%Y-%m-%d}"


class Prompt(models.Model):
    """A question at a depth and theme: from the deck (``key`` set) or written in a bond.

    The deck's words are public and stored plain in ``text``. A question someone wrote is
    theirs, as protected as their answers: sealed with the author's key in ``text_enc``
    (``text`` stays empty, which the database enforces), destroyed with their account,
    and read only through :func:`mutual.bonds.selectors.prompt_text_for`.
    """

    class Audience(models.TextChoices):
        BOTH = "both", gettext_lazy("Partners and friends")
        PARTNERS = "partners", gettext_lazy("Partners who opt in")
        FRIENDS = "friends", gettext_lazy("Friends only")

    id = models.UUIDField(primary_key=True, default=new_id, editable=False)
    key = models.SlugField(max_length=80, unique=True, null=True, blank=True)
    #: The deck's words; empty for a question written in a bond.
    text = models.CharField(max_length=300, blank=True)
    #: A question written in a bond, sealed with its author's key (``None`` once the
    #: author deleted their account).
    text_enc = models.BinaryField(null=True, blank=True)
    depth = models.PositiveSmallIntegerField(choices=DEPTH_CHOICES)
    theme = models.CharField(max_length=12, choices=THEME_CHOICES)
    emotional = models.BooleanField(default=False)
    audience = models.CharField(max_length=10, choices=Audience.choices, default=Audience.BOTH)
    #: A deck question no longer offered (its key left ``deck.json``): kept, with its
    #: words, for the exchanges that asked it, never picked again (``mutual.bonds.deck``).
    retired = models.BooleanField(default=False)
    #: A person's own prompt belongs to one bond and is seen only inside it.
    bond = models.ForeignKey(
        Bond, on_delete=models.CASCADE, null=True, blank=True, related_name="own_prompts"
    )
    author = models.ForeignKey(
        PERSON, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering: ClassVar[list[str]] = ["depth", "theme", "key"]
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.CheckConstraint(
                condition=models.Q(bond__isnull=True) | models.Q(text=""),
                name="own_prompt_never_plain",
            ),
        ]

    def __str__(self) -> str:
        return self.key or f"own prompt at depth {self.depth}"

    @property
    def aad(self) -> str:
        return f"prompt:{self.id}:text"


class Exchange(models.Model):
    """Both persons answer one prompt; answers stay sealed until both have answered."""

    id = models.UUIDField(primary_key=True, default=new_id, editable=False)
    bond = models.ForeignKey(Bond, on_delete=models.CASCADE, related_name="exchanges")
    prompt = models.ForeignKey(Prompt, on_delete=models.PROTECT, related_name="+")
    opened_by = models.CharField(max_length=1, choices=SIDE_CHOICES)
    opened_at = models.DateTimeField()
    revealed_at = models.DateTimeField(null=True, blank=True)
    #: What this exchange waits for from side ``a`` / ``b``: a bit set of
    #: :data:`mutual.bonds.waiting.ANSWER`, ``REPLY`` and ``RATE``, kept by
    #: :func:`mutual.bonds.waiting.refresh` on every write, so a bond's home page finds what
    #: waits without reading its history.
    waits_a = models.PositiveSmallIntegerField(default=1)
    waits_b = models.PositiveSmallIntegerField(default=1)

    class Meta:
        ordering: ClassVar[list[str]] = ["-opened_at"]
        indexes: ClassVar[list[models.Index]] = [
            models.Index(fields=["bond", "-opened_at"]),
            models.Index(
                fields=["bond", "-opened_at"],
                condition=models.Q(waits_a__gt=0),
                name="exchange_waits_a",
            ),
            models.Index(
                fields=["bond", "-opened_at"],
                condition=models.Q(waits_b__gt=0),
                name="exchange_waits_b",
            ),
        ]

    def __str__(self) -> str:
        return f"exchange opened {self.opened_at:%Y-%m-%d}"


class Revelation(models.Model):
    """One person's answer in an exchange."""

    id = models.UUIDField(primary_key=True, default=new_id, editable=False)
    exchange = models.ForeignKey(Exchange, on_delete=models.CASCADE, related_name="revelations")
    author = models.ForeignKey(PERSON, on_delete=models.CASCADE, related_name="revelations")
    side = models.CharField(max_length=1, choices=SIDE_CHOICES)
    body_enc = models.BinaryField()
    emotional = models.BooleanField(default=False)
    created_at = models.DateTimeField()
    #: Set when the text changed after the reveal; shown as "edited" with this date.
    edited_at = models.DateTimeField(null=True, blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["exchange", "side"], name="one_answer_per_side"),
        ]

    def __str__(self) -> str:
        return f"revelation {self.id}"

    @property
    def aad(self) -> str:
        return f"revelation:{self.id}:body"


class Reply(models.Model):
    """The partner's reply to a revelation, in the three coached parts."""

    id = models.UUIDField(primary_key=True, default=new_id, editable=False)
    revelation = models.OneToOneField(Revelation, on_delete=models.CASCADE, related_name="reply")
    author = models.ForeignKey(PERSON, on_delete=models.CASCADE, related_name="replies")
    heard_enc = models.BinaryField()
    makes_sense_enc = models.BinaryField()
    care_enc = models.BinaryField()
    #: The responder marked this reply as costly to them (it took effort against their
    #: own interest): the strain weight applies if it honors.
    costly = models.BooleanField(default=False)
    created_at = models.DateTimeField()
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        #: The table keeps the name it had while the model was called ``Response``
        #: (migration 0010 says why).
        db_table = "bonds_response"

    def __str__(self) -> str:
        return f"reply {self.id}"

    def aad(self, part: str) -> str:
        # Bound into every sealed part since the first reply: it stays "response" so that
        # the texts written then still open.
        return f"response:{self.id}:{part}"


class Rating(models.Model):
    """The revealer's private judgement of the reply. Never shown to the partner."""

    id = models.UUIDField(primary_key=True, default=new_id, editable=False)
    revelation = models.OneToOneField(Revelation, on_delete=models.CASCADE, related_name="rating")
    understood = models.PositiveSmallIntegerField()
    validated = models.PositiveSmallIntegerField()
    cared = models.PositiveSmallIntegerField()
    #: The revealer chose to send "thank you for hearing me" (the partner sees only that).
    thanked = models.BooleanField(default=False)
    created_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"rating {self.id}"


class FirstHonored(models.Model):
    """When one side of a bond was first honored at a depth and theme: the moment of the
    earliest rating of one of that side's answers whose three scores reached the honored
    sum (:func:`mutual.bonds.ledger.honored_total`). Written by the ledger with each
    ``Rated`` event, so the onion reads at most 2 × 5 × 8 rows however long the history.
    Deleted with the revealer's account, as their answers and ratings are."""

    bond = models.ForeignKey(Bond, on_delete=models.CASCADE, related_name="+")
    side = models.CharField(max_length=1, choices=SIDE_CHOICES)
    depth = models.PositiveSmallIntegerField(choices=DEPTH_CHOICES)
    theme = models.CharField(max_length=12, choices=THEME_CHOICES)
    revealer = models.ForeignKey(PERSON, on_delete=models.CASCADE, null=True, related_name="+")
    at = models.DateTimeField()

    class Meta:
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(
                fields=["bond", "side", "depth", "theme"], name="first_honored_once"
            ),
        ]

    def __str__(self) -> str:
        return f"first honored {self.side} {self.depth} {self.theme}"


class Event(models.Model):
    """An append-only engine event of a bond; the snapshot is their fold."""

    bond = models.ForeignKey(Bond, on_delete=models.CASCADE, related_name="events")
    seq = models.PositiveIntegerField()
    kind = models.CharField(max_length=40)
    payload = models.JSONField()
    at = models.DateTimeField()

    class Meta:
        ordering: ClassVar[list[str]] = ["bond", "seq"]
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["bond", "seq"], name="one_event_per_seq"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} #{self.seq}"


class Reading(models.Model):
    """A point of a bond's history for the insights: the shared measures and each side's
    own trust after an event. Own trust rows are read only by their holder."""

    bond = models.ForeignKey(Bond, on_delete=models.CASCADE, related_name="readings")
    seq = models.PositiveIntegerField()
    at = models.DateTimeField()
    open_depth = models.PositiveSmallIntegerField()
    mutual_index = models.FloatField()
    breadth = models.PositiveSmallIntegerField()
    trust_a = models.FloatField()
    trust_b = models.FloatField()

    class Meta:
        ordering: ClassVar[list[str]] = ["bond", "seq"]
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["bond", "seq"], name="one_reading_per_seq"),
        ]
        #: The trend on the home page looks up the last reading before a moment.
        indexes: ClassVar[list[models.Index]] = [
            models.Index(fields=["bond", "at"], name="reading_bond_at")
        ]

    def __str__(self) -> str:
        return f"reading #{self.seq}"
