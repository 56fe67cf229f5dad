"""Static files: WhiteNoise's compressed manifest storage, each file's URL worked out once.

The manifest (name → name with its hash) is read when the process starts and does not change
while it runs (a deploy restarts the processes), so neither does a name's URL. Django works it
out again on every `{% static %}`: splitting the name, the manifest lookup, quoting, joining
with STATIC_URL. An article asks for four, on every render.
"""

import threading

from django.conf import settings
from whitenoise.storage import CompressedManifestStaticFilesStorage


class StaticFilesStorage(CompressedManifestStaticFilesStorage):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._urls: dict[str, str] = {}
        self._urls_lock = threading.Lock()

    def url(self, name, force=False):
        if force or settings.DEBUG:  # collectstatic, and DEBUG's unhashed names: as Django's
            return super().url(name, force)
        found = self._urls.get(name)
        if found is None:
            found = super().url(name)  # a name missing from the manifest raises, as before
            with self._urls_lock:
                self._urls[name] = found
        return found
