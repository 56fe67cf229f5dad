"""The data dir holds the database (SQLite), the keys and the outbox: its owner alone may
read it. Made 0700 and its files 0600 at every start (an older install's 0755 directory and
world-readable database are narrowed), the SQLite file created 0600 before SQLite opens it.
Uploaded media and collected static files live inside it too, served by Readerfund itself.
"""

import contextlib
import os
import stat
from pathlib import Path

PRIVATE_DIR = 0o700
PRIVATE_FILE = 0o600


def make_private(data_dir: Path) -> None:
    """Create the data dir 0700 (or narrow an existing one that is ours) and narrow the
    files directly in it to 0600."""
    data_dir.mkdir(mode=PRIVATE_DIR, parents=True, exist_ok=True)
    if data_dir.stat().st_uid != os.getuid():
        return  # not ours (a mounted volume, say): leave its owner's choice alone
    data_dir.chmod(PRIVATE_DIR)
    for path in data_dir.iterdir():
        # SQLite removes its -wal and -shm files when a running server's last connection
        # closes: a file listed a moment ago may be gone now, which is no error.
        with contextlib.suppress(FileNotFoundError):
            mode = path.lstat().st_mode
            if stat.S_ISREG(mode) and mode & 0o077:
                path.chmod(PRIVATE_FILE)


def private_file(path: Path) -> None:
    """Create `path` empty and 0600 when it does not exist (an empty file is an empty SQLite
    database); an existing one is left as it is."""
    if str(path) in ("", ":memory:") or path.exists():
        return
    path.parent.mkdir(mode=PRIVATE_DIR, parents=True, exist_ok=True)
    with contextlib.suppress(FileExistsError):  # another process made it a moment ago
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE))
