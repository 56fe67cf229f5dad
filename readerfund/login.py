"""The staff sign-in form (settings.WAGTAILADMIN_USER_LOGIN_FORM): Wagtail's, with labels.

Wagtail gives its password field no label, so Django printed the field's bare name,
"Password", on a Russian page; here every label goes through the translation machinery.
"""

from django.utils.translation import gettext_lazy
from wagtail.admin.forms.auth import LoginForm


class StaffLoginForm(LoginForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["password"].label = gettext_lazy("Password")
        self.fields["remember"].label = gettext_lazy("Remember me")
