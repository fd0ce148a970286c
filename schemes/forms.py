from django import forms

from schemes.models import Scheme


class SchemeForm(forms.ModelForm):
    class Meta:
        model = Scheme
        fields = ["name", "kind", "area"]
