"""The public portal's forms: the online petition and the tracking lookup. They validate what
a stranger may type (sizes, types of files by content, the anti-robot fields); the writes and
the challenge's check are in public/services.py."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from councilportal.documents.attachments import DOCX, JPEG, PDF, PNG, validate_upload
from petitions.models import Field, ItemKind

from .services import Challenge

KIND_CHOICES = [
    (ItemKind.REFLECTION.value, _("Petition or report (phản ánh)")),
    (ItemKind.COMPLAINT.value, _("Complaint (khiếu nại)")),
    (ItemKind.DENUNCIATION.value, _("Denunciation (tố cáo)")),
    (ItemKind.RECOMMENDATION.value, _("Recommendation (kiến nghị)")),
]
MAX_FILES = 3
MAX_CONTENT = 10_000


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    widget = MultipleFileInput

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        files = data if isinstance(data, list | tuple) else ([data] if data else [])
        return [super(MultipleFileField, self).clean(f, initial) for f in files if f]


class _Styled(forms.Form):
    """Bootstrap's classes on the widgets (the public templates draw the fields one by one)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.HiddenInput):
                continue
            css = "form-select" if isinstance(widget, forms.Select) else "form-control"
            widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()


class OnlinePetitionForm(_Styled):
    kind = forms.ChoiceField(label=_("What are you sending?"), choices=KIND_CHOICES)
    field = forms.ChoiceField(label=_("Field"), choices=Field.choices, initial=Field.OTHER)
    subject = forms.CharField(
        label=_("Short subject"),
        max_length=300,
        help_text=_("One line saying what it is about."),
    )
    content = forms.CharField(
        label=_("Content"),
        max_length=MAX_CONTENT,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("What happened, where and when, and what you ask for."),
    )
    locality = forms.CharField(label=_("Locality concerned"), max_length=200, required=False)
    full_name = forms.CharField(
        label=_("Your full name"),
        max_length=150,
        help_text=_("A denunciation must carry the denouncer's name; it is kept confidential."),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    address = forms.CharField(
        label=_("Your address"),
        max_length=300,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    phone = forms.CharField(
        label=_("Phone"),
        max_length=30,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "tel"}),
    )
    email = forms.EmailField(
        label=_("E-mail"),
        max_length=200,
        required=False,
        help_text=_("If you give it, the tracking code is also sent there."),
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )
    attachments = MultipleFileField(
        label=_("Attachments"),
        required=False,
        help_text=_("Up to 3 files (PDF, DOCX, JPEG or PNG), checked by their content."),
    )
    answer = forms.CharField(label=_("Question against automated sending"), max_length=10)
    challenge = forms.CharField(widget=forms.HiddenInput, max_length=500)
    # Left empty by people (it is hidden from them and from screen readers); robots fill it.
    website = forms.CharField(required=False, max_length=200, label=_("Leave this empty"))

    def set_challenge(self, challenge: Challenge) -> None:
        """A fresh question for the page being shown; the typed answer is not kept."""
        self.fields["answer"].help_text = challenge.question
        self.fields["challenge"].initial = challenge.token
        if self.is_bound:
            data = cast(Any, self.data).copy()
            data["challenge"] = challenge.token
            data["answer"] = ""
            self.data = data

    def clean_content(self) -> str:
        content = self.cleaned_data["content"].strip()
        if len(content) < 10:
            raise ValidationError(_("Describe the matter in a few words at least."))
        return content

    def clean_website(self) -> str:
        if self.cleaned_data.get("website"):
            raise ValidationError(_("Leave this field empty."))
        return ""

    def clean_attachments(self) -> list[Any]:
        files = self.cleaned_data.get("attachments") or []
        if len(files) > MAX_FILES:
            raise ValidationError(_("Send at most %(n)d files.") % {"n": MAX_FILES})
        total = sum(f.size for f in files)
        if total > settings.PUBLIC_UPLOAD_TOTAL_BYTES:
            raise ValidationError(
                _("The files total %(size)s; the limit is %(limit)s.")
                % {
                    "size": filesizeformat(total),
                    "limit": filesizeformat(settings.PUBLIC_UPLOAD_TOTAL_BYTES),
                }
            )
        for upload in files:
            validate_upload(upload, (PDF, DOCX, JPEG, PNG))
        return files


class TrackingForm(_Styled):
    code = forms.CharField(
        label=_("Tracking code"),
        max_length=40,
        help_text=_("The code shown when you sent your petition, e.g. ABCD-EFGH-JKMN-PQRS."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
