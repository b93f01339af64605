"""Forms parse what a person typed; the services decide and save."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from mutual import limits
from mutual.web import names

from . import rules
from .models import Bond

SCALE = [(str(i), str(i)) for i in range(1, 8)]


def name_field() -> forms.CharField:
    """The name the other person will see (``Person.display_name``), asked gently."""
    return forms.CharField(
        label=_("Your name, as they will see it"),
        max_length=limits.NAME,
        help_text=_("A first name or what they call you. Everyone you share a bond with sees it."),
        error_messages={
            "required": _("Write the name the other person will see, even just a first name."),
            "max_length": _(
                "That name is longer than %(limit_value)d characters. A shorter one, please."
            ),
        },
        widget=forms.TextInput(attrs={"autocomplete": "given-name", "maxlength": str(limits.NAME)}),
    )


class BondCreateForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Who is this bond with?"),
        choices=[
            (Bond.Kind.PARTNERS, _("My partner")),
            (Bond.Kind.FRIENDS, _("A close friend")),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose a partner or a close friend.")},
    )
    name = name_field()


class JoinForm(forms.Form):
    code = forms.CharField(
        label=_("Invite code"),
        max_length=limits.INVITE_CODE,
        help_text=_(
            "The code from your invite. If you were sent a link, opening it fills this in."
        ),
        error_messages={"required": _("Enter the invite code you were given.")},
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "spellcheck": "false", "autocapitalize": "off"}
        ),
    )


class JoinAsForm(JoinForm):
    """Joining while signed in: the code and the name the other person will see."""

    name = name_field()


class RevelationForm(forms.Form):
    body = forms.CharField(
        label=_("Your answer"),
        max_length=limits.ANSWER,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Share as much as feels right today."),
        error_messages={"required": _("Write a few words first.")},
    )
    emotional = forms.BooleanField(
        label=_("This touches my feelings"),
        required=False,
        help_text=_("Marks the answer as emotional: it weighs a little more."),
    )


class ReplyForm(forms.Form):
    heard = forms.CharField(
        label=_("What I heard"),
        max_length=limits.REPLY_PART,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Say back what they told you, in your own words."),
        error_messages={"required": _("Say back what you heard, in a sentence or two.")},
    )
    makes_sense = forms.CharField(
        label=_("Why it makes sense"),
        max_length=limits.REPLY_PART,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Say why feeling this way is understandable, given what happened and what "
            "matters to them."
        ),
        error_messages={"required": _("Say why it makes sense to feel this way.")},
    )
    care = forms.CharField(
        label=_("My care"),
        max_length=limits.REPLY_PART,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Let them know you are with them."),
        error_messages={"required": _("Add a word of care.")},
    )
    costly = forms.BooleanField(
        label=_("Replying kindly took real effort today"),
        required=False,
        help_text=_(
            "Only you see this. Mutual counts the effort; the one you reply to is never told."
        ),
    )

    def __init__(self, *args: Any, depth: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not rules.sense_required(depth):
            field = self.fields["makes_sense"]
            field.required = False
            field.label = _("Why it makes sense (optional)")
            field.help_text = _(
                "For a light question there may be nothing to make sense of. If there is a "
                "feeling in their answer, a few words still help."
            )


class RatingForm(forms.Form):
    understood = forms.TypedChoiceField(
        label=_("I felt understood"),
        choices=SCALE,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose how understood you felt, from 1 to 7.")},
    )
    validated = forms.TypedChoiceField(
        label=_("I felt my feelings made sense to them"),
        choices=SCALE,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose how validated you felt, from 1 to 7.")},
    )
    cared = forms.TypedChoiceField(
        label=_("I felt cared for"),
        choices=SCALE,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose how cared for you felt, from 1 to 7.")},
    )
    thanked = forms.BooleanField(
        label=_("Send “thank you for hearing me”"),
        required=False,
        help_text=_("They will see only these words, never your numbers."),
    )


def suggested_depth(open_depth: int) -> int:
    """The depth suggested for a question someone writes: a step lighter than the deepest
    open. A new question is new to both; starting a step back leaves the replies room to
    go deeper, and the deck waits at the deepest depth."""
    return max(0, open_depth - 1)


class PromptForm(forms.Form):
    text = forms.CharField(
        label=_("Your question"),
        max_length=limits.QUESTION,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Ask something you would gladly answer yourself, open enough for more than yes "
            "or no, about what someone feels, needs or hopes."
        ),
        error_messages={"required": _("Write the question you would like you both to answer.")},
    )
    depth = forms.TypedChoiceField(label=_("How deep"), coerce=int, choices=[])
    theme = forms.ChoiceField(label=_("Theme"), choices=[])
    emotional = forms.BooleanField(label=_("It touches feelings"), required=False)

    def __init__(self, *args: Any, open_depth: int, themes: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        suggested = suggested_depth(open_depth)
        depth = self.fields["depth"]
        depth.choices = [(d, names.depth_name(d)) for d in range(open_depth + 1)]  # type: ignore[attr-defined]
        depth.initial = suggested
        depth.help_text = _(
            "We suggest %(depth)s, a step lighter than the deepest you have opened: a new "
            "question is new to you both."
        ) % {"depth": names.depth_name(suggested)}
        self.fields["theme"].choices = [(t, names.THEME_WORDS[t]) for t in themes]  # type: ignore[attr-defined]


class ReadyForm(forms.Form):
    ready = forms.TypedChoiceField(
        choices=[("1", _("ready")), ("0", _("not yet"))],
        coerce=lambda v: v == "1",
    )


class DesireForm(forms.Form):
    opt_in = forms.TypedChoiceField(
        choices=[("1", _("yes")), ("0", _("no"))], coerce=lambda v: v == "1"
    )
