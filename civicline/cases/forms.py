"""Form helpers shared by the staff pages and the citizen's portal."""

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from civicline.cases.photos import CheckedPhoto, photo_check


class PhotosInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class PhotosField(forms.FileField):
    """One or more photos; each is checked by its content and comes back as a CheckedPhoto."""

    def __init__(self, *, most: int = settings.PHOTOS_PER_CASE, **kwargs):
        self.most = most
        attrs = {"accept": "image/jpeg,image/png,image/webp"}
        kwargs.setdefault("widget", PhotosInput(attrs=attrs))
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def clean(self, data, initial=None) -> list[CheckedPhoto]:
        uploads = [u for u in (data if isinstance(data, list | tuple) else [data]) if u]
        if not uploads:
            if self.required:
                raise ValidationError(self.error_messages["required"], code="required")
            return []
        if len(uploads) > self.most:
            raise ValidationError(_("Send at most %(n)d photos.") % {"n": self.most})
        checked, problems = [], []
        for upload in uploads:
            try:
                checked.append(photo_check(upload))
            except ValidationError as error:
                problems += [f"{upload.name}: {m}" for m in error.messages]
        if problems:
            raise ValidationError(problems)
        return checked


def errors_onto_form(form: forms.Form, error: ValidationError) -> None:
    """Put a service's ValidationError on the form, on fields it has or on the form."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)
