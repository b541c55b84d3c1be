from __future__ import annotations

import functools
from typing import Any, cast

from django import forms
from django.forms.utils import flatatt
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from tahaluf.accounts import permissions
from tahaluf.organizations.models import (
    FocusArea,
    Kind,
    Organization,
    Person,
    Source,
)


def countries_by_name() -> list[tuple[str, str]]:
    """Countries sorted by their name in the reader's language."""
    return list(_countries_by_name(get_language()))


@functools.cache
def _countries_by_name(_language: str) -> tuple[tuple[str, str], ...]:
    # Translated names, sorted once per language: a directory page would otherwise spend
    # milliseconds on 250 lazy names and their sort.
    return tuple(sorted(((code, str(name)) for code, name in countries), key=lambda i: i[1]))


MAX_IMPORT_HINT = _("A UTF-8 CSV file, with or without BOM.")


class LinesField(forms.CharField):
    """A list of strings edited as one per line."""

    widget = forms.Textarea(attrs={"rows": 3})

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, list):
            return "\n".join(value)
        return value

    # The value is cleaned to a list, not to the CharField's str: an override mypy must refuse.
    def to_python(self, value: Any) -> list[str]:  # type: ignore[override]
        text = super().to_python(value) or ""
        return [line.strip() for line in text.splitlines() if line.strip()]


class OrganizationForm(forms.ModelForm):
    other_names = LinesField(
        label=_("Other spellings"), required=False, help_text=_("One per line."), max_length=5000
    )
    country = forms.ChoiceField(label=_("Country"), required=False)
    focus_areas = forms.ModelMultipleChoiceField(
        label=_("Focus areas"),
        queryset=FocusArea.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    new_focus_areas = forms.CharField(
        label=_("Add focus areas"),
        required=False,
        max_length=500,
        help_text=_("Separate several with a vertical bar: culture | peace"),
    )

    class Meta:
        model = Organization
        fields = [
            "name_ar",
            "name_en",
            "acronym",
            "other_names",
            "kind",
            "country",
            "city",
            "founded_year",
            "member_count",
            "member_count_at_least",
            "partner_count",
            "partner_count_at_least",
            "website",
            "description_ar",
            "description_en",
            "focus_areas",
        ]
        widgets = {
            "name_ar": forms.TextInput(attrs={"dir": "rtl", "lang": "ar"}),
            "name_en": forms.TextInput(attrs={"dir": "ltr", "lang": "en"}),
            "description_ar": forms.Textarea(attrs={"rows": 4, "dir": "rtl", "lang": "ar"}),
            "description_en": forms.Textarea(attrs={"rows": 4, "dir": "ltr", "lang": "en"}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["country"]).choices = [("", "—")] + countries_by_name()

    def service_data(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.Meta.fields if name != "focus_areas"}

    def focus_area_values(self) -> list[str]:
        chosen = [area.key for area in self.cleaned_data.get("focus_areas") or []]
        extra = [part.strip() for part in self.cleaned_data.get("new_focus_areas", "").split("|")]
        return chosen + [part for part in extra if part]


class PersonForm(forms.ModelForm):
    other_names = LinesField(
        label=_("Other spellings"), required=False, help_text=_("One per line."), max_length=5000
    )

    class Meta:
        model = Person
        fields = ["honorific_ar", "name_ar", "honorific_en", "name_en", "other_names"]
        widgets = {
            "name_ar": forms.TextInput(attrs={"dir": "rtl", "lang": "ar"}),
            "name_en": forms.TextInput(attrs={"dir": "ltr", "lang": "en"}),
        }


class PositionForm(forms.Form):
    person = forms.ModelChoiceField(label=_("Person"), queryset=Person.objects.none())
    title_ar = forms.CharField(label=_("Post in Arabic"), max_length=200, required=False)
    title_en = forms.CharField(label=_("Post in English"), max_length=200, required=False)
    start_date = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    end_date = forms.DateField(
        label=_("Until"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args: Any, people: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["person"]).queryset = people


class UnionMembershipForm(forms.Form):
    member = forms.ModelChoiceField(
        label=_("Member organization"), queryset=Organization.objects.none()
    )
    start_date = forms.DateField(
        label=_("Member since"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    end_date = forms.DateField(
        label=_("Member until"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args: Any, organizations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["member"]).queryset = organizations


class CitationForm(forms.Form):
    source = forms.ModelChoiceField(
        label=_("An existing source"), queryset=Source.objects.order_by("title"), required=False
    )
    title = forms.CharField(label=_("Or a new source: title"), max_length=500, required=False)
    url = forms.URLField(label=_("Address"), max_length=1000, required=False)
    published_on = forms.DateField(
        label=_("Date"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    publisher = forms.CharField(label=_("Publisher or author"), max_length=300, required=False)
    field = forms.ChoiceField(label=_("Fact"), required=False)
    quote = forms.CharField(
        label=_("Quote"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, record: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        source = cast(forms.ModelChoiceField, self.fields["source"])
        source.queryset = permissions.visible_sources(user, Source.objects.order_by("title"))
        choices = [("", _("The whole record"))]
        for name in record.TRACKED_FIELDS:
            choices.append((name, record._meta.get_field(name).verbose_name))
        cast(forms.ChoiceField, self.fields["field"]).choices = choices

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not cleaned.get("source") and not cleaned.get("title"):
            self.add_error("title", _("Choose an existing source or give the new one a title."))
        return cleaned


class LightSelect(forms.Select):
    """A <select> of flat choices, written out in Python. Django renders each <option>
    through templates of its own: for the 250 countries of the directory's filters that took
    15 ms, a third of the page's time (see docs/benchmarks.md)."""

    def render(
        self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None
    ) -> SafeString:
        chosen = set(self.format_value(value))
        options = "\n".join(
            f"{start} selected{end}" if key in chosen else f"{start}{end}"
            for key, start, end in _escaped_options(
                tuple((str(key), str(label)) for key, label in self.choices)
            )
        )
        return format_html(
            '<select name="{}"{}>\n{}\n</select>',
            name,
            flatatt(self.build_attrs(self.attrs, attrs)),
            mark_safe(options),
        )


@functools.lru_cache(maxsize=64)
def _escaped_options(choices: tuple[tuple[str, str], ...]) -> tuple[tuple[str, str, str], ...]:
    """(value, '<option value="…"', '>label</option>') for each choice, escaped once for
    every page that shows the same list (the countries, in each language)."""
    return tuple(
        (key, format_html('<option value="{}"', key), format_html(">{}</option>", label))
        for key, label in choices
    )


class DirectoryFilterForm(forms.Form):
    q = forms.CharField(label=_("Name contains"), required=False, max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), required=False, widget=LightSelect)
    country = forms.ChoiceField(label=_("Country"), required=False, widget=LightSelect)
    city = forms.CharField(label=_("City"), required=False, max_length=150)
    focus = forms.ModelChoiceField(
        label=_("Focus area"),
        queryset=FocusArea.objects.all(),
        required=False,
        to_field_name="key",
        widget=LightSelect,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        kind = cast(forms.ChoiceField, self.fields["kind"])
        kind.choices = [("", _("All kinds"))] + list(Kind.choices)
        country = cast(forms.ChoiceField, self.fields["country"])
        country.choices = [("", _("All countries")), *countries_by_name()]


class ImportForm(forms.Form):
    file = forms.FileField(label=_("CSV file"), help_text=MAX_IMPORT_HINT)
