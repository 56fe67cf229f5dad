"""Static files: WhiteNoise's compressed manifest storage, each file's URL worked out once,
and collected only when their sources changed.

The manifest (name → name with its hash) is read when the process starts and does not change
while it runs (a deploy restarts the processes), so neither does a name's URL. Django works it
out again on every `{% static %}`: splitting the name, the manifest lookup, quoting, joining
with STATIC_URL. An article asks for four, on every render.
"""

import hashlib
import os
import threading
from pathlib import Path

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


# Collecting ---------------------------------------------------------------------------------

SOURCES_SUFFIX = ".sources"  # beside STATIC_ROOT (not in it: WhiteNoise serves what is there)


def collect() -> bool:
    """`collectstatic`, unless STATIC_ROOT already holds what the sources hold now; whether it
    ran. Collecting hashes and compresses every file (about 1,300, Wagtail's admin included)
    whether it changed or not: 15 s of CPU at each `readerfund serve`, for nothing on a
    restart. The sources' names, sizes and modification times say whether anything changed
    (a deploy's new files, an upgraded package); a STATIC_ROOT without its manifest is
    collected again whatever they say."""
    from django.contrib.staticfiles.storage import staticfiles_storage
    from django.core.management import call_command

    root = Path(settings.STATIC_ROOT)
    stamp = root.with_name(root.name + SOURCES_SUFFIX)  # what the files there came from
    now = sources_fingerprint()
    manifest = root / getattr(staticfiles_storage, "manifest_name", "")  # or the root itself
    if manifest.exists() and stamp.is_file() and stamp.read_text() == now:
        return False
    stamp.unlink(missing_ok=True)  # a collect cut short leaves no stamp behind
    call_command("collectstatic", interactive=False, verbosity=0)
    stamp.write_text(now)
    return True


def sources_fingerprint() -> str:
    """A digest of every file collectstatic would collect (its name, size and modification
    time), and of the settings that change what it writes."""
    from django.apps import apps
    from django.contrib.staticfiles.finders import get_finders

    ignored = apps.get_app_config("staticfiles").ignore_patterns
    digest = hashlib.sha256()
    digest.update(repr((settings.STATIC_URL, settings.STORAGES["staticfiles"])).encode())
    seen = set()
    for finder in get_finders():
        for path, storage in finder.list(ignored):
            name = getattr(storage, "prefix", None) or ""
            name = f"{name}/{path}" if name else path
            if name in seen:  # the first finder's file wins, as in collectstatic
                continue
            seen.add(name)
            stat = os.stat(storage.path(path))
            digest.update(f"{name}\0{stat.st_size}\0{stat.st_mtime_ns}\n".encode())
    return digest.hexdigest()
