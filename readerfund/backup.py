"""`readerfund backup DIR` and `readerfund restore DIR`: the database, the keys and the
uploaded media, together, so that a restore can read every encrypted field.

A backup without its keys is a database whose donors' data nobody can read again (the
encryption keys) or find (the blind index key); a restore into a fresh data dir used to
generate new keys and lose everything. So a backup holds the keys in use, wherever they
came from (the data dir or the environment), and a restore puts them into the new data dir,
or refuses when the environment names other keys.

A backup folder is as secret as the server itself: it holds the keys beside the data.

    DIR/MANIFEST.json       what is here (format, database engine, when)
    DIR/database.sqlite3    SQLite: a consistent copy made with SQLite's backup API
    DIR/database.pgdump     PostgreSQL: pg_dump's custom format
    DIR/keys/               encryption_keys, blind_index_key, secret_key (0600)
    DIR/media/              uploaded images and documents
"""

import json
import os
import shutil
import sqlite3
import subprocess
from datetime import UTC, datetime
from pathlib import Path

from django.conf import settings
from django.db import connections

from privacy.keys import (
    BLIND_INDEX_KEY_FILENAME,
    BLIND_INDEX_KEY_VAR,
    ENCRYPTION_KEYS_FILENAME,
    ENCRYPTION_KEYS_VAR,
)

FORMAT = 1
SECRET_KEY_FILENAME, SECRET_KEY_VAR = "secret_key", "READERFUND_SECRET_KEY"


class BackupError(Exception):
    """Nothing was changed: the message says why."""


def _keys() -> dict[str, tuple[str, str]]:
    """file name → (environment variable, value in use)."""
    return {
        ENCRYPTION_KEYS_FILENAME: (ENCRYPTION_KEYS_VAR, ",".join(settings.ENCRYPTION_KEYS)),
        BLIND_INDEX_KEY_FILENAME: (BLIND_INDEX_KEY_VAR, settings.BLIND_INDEX_KEY),
        SECRET_KEY_FILENAME: (SECRET_KEY_VAR, settings.SECRET_KEY),
    }


def _engine() -> str:
    engine = settings.DATABASES["default"]["ENGINE"]
    if engine.endswith("sqlite3"):
        return "sqlite"
    if engine.endswith("postgresql"):
        return "postgresql"
    raise BackupError(f"cannot back up a {engine} database")


def _private_write(path: Path, text: str) -> None:
    temporary = path.with_name(f".{path.name}.partial")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(text)
    os.replace(temporary, path)


# Backing up ----------------------------------------------------------------------------------


def backup(folder: Path) -> list[str]:
    """Write the database, the keys and the media into `folder` (new or empty)."""
    if folder.exists() and any(folder.iterdir()):
        raise BackupError(f"{folder} is not empty: give a new folder")
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    folder.chmod(0o700)
    engine = _engine()
    written = [_backup_sqlite(folder) if engine == "sqlite" else _backup_postgresql(folder)]
    (folder / "keys").mkdir(mode=0o700)
    for name, (_, value) in _keys().items():
        _private_write(folder / "keys" / name, value + "\n")
    written.append("keys/")
    media = Path(settings.MEDIA_ROOT)
    if media.is_dir():
        shutil.copytree(media, folder / "media")
        written.append("media/")
    manifest = {"format": FORMAT, "database": engine, "made_at": datetime.now(UTC).isoformat()}
    _private_write(folder / "MANIFEST.json", json.dumps(manifest, indent=2) + "\n")
    return written


def _backup_sqlite(folder: Path) -> str:
    target = folder / "database.sqlite3"
    os.close(os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    source = sqlite3.connect(settings.DATABASES["default"]["NAME"])
    try:
        with sqlite3.connect(target) as copy:
            source.backup(copy)  # consistent, while the site keeps running
        copy.close()
    finally:
        source.close()
    return target.name


def _pg_environment() -> dict:
    db = settings.DATABASES["default"]
    env = {**os.environ, "PGDATABASE": db["NAME"]}
    for key, var in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER")):
        if db.get(key):
            env[var] = str(db[key])
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = db["PASSWORD"]
    return env


def _backup_postgresql(folder: Path) -> str:
    target = folder / "database.pgdump"
    command = ["pg_dump", "--format=custom", "--no-owner", f"--file={target}"]
    _run(command)
    target.chmod(0o600)
    return target.name


def _run(command: list[str]) -> None:
    try:
        done = subprocess.run(command, env=_pg_environment(), capture_output=True, text=True)
    except FileNotFoundError:
        raise BackupError(f"{command[0]} is not installed (PostgreSQL's client tools)") from None
    if done.returncode != 0:
        raise BackupError(f"{command[0]} failed: {done.stderr.strip()[-500:]}")


# Restoring ----------------------------------------------------------------------------------


def restore(folder: Path, *, force: bool = False) -> list[str]:
    """Put a backup's keys, database and media into this data dir (and database)."""
    manifest = _manifest(folder)
    engine = _engine()
    if manifest["database"] != engine:
        raise BackupError(f"the backup holds a {manifest['database']} database, this is {engine}")
    keys = _read_keys(folder)
    _check_environment_keys(keys)
    if not force and _holds_donors():
        raise BackupError("this database already holds contributors: restore into a fresh one")
    data_dir = Path(settings.DATA_DIR)
    for name, value in keys.items():
        _private_write(data_dir / name, value + "\n")
    restored = ["keys"]
    if engine == "sqlite":
        restored.append(_restore_sqlite(folder))
    else:
        restored.append(_restore_postgresql(folder))
    if (folder / "media").is_dir():
        shutil.copytree(folder / "media", settings.MEDIA_ROOT, dirs_exist_ok=True)
        restored.append("media")
    return restored


def _manifest(folder: Path) -> dict:
    try:
        manifest = json.loads((folder / "MANIFEST.json").read_text())
    except (OSError, ValueError):
        raise BackupError(f"{folder} holds no Readerfund backup (MANIFEST.json)") from None
    if manifest.get("format") != FORMAT:
        raise BackupError(f"unknown backup format {manifest.get('format')!r}")
    return manifest


def _read_keys(folder: Path) -> dict[str, str]:
    keys = {}
    for name in _keys():
        path = folder / "keys" / name
        if not path.is_file():
            raise BackupError(f"the backup has no keys/{name}: without it nothing can be read")
        keys[name] = path.read_text().strip()
    return keys


def _check_environment_keys(keys: dict[str, str]) -> None:
    """Keys given by the environment win over the data dir: they must be the backup's."""
    for name, (var, in_use) in _keys().items():
        given = os.environ.get(var) or os.environ.get(f"{var}_FILE")
        if given and in_use != keys[name]:
            raise BackupError(f"{var} is set and differs from the backup's keys/{name}")


def _holds_donors() -> bool:
    from django.apps import apps

    Contributor = apps.get_model("contributions", "Contributor")  # noqa: N806
    connection = connections["default"]
    if Contributor._meta.db_table not in connection.introspection.table_names():
        return False
    return Contributor.objects.exists()


def _restore_sqlite(folder: Path) -> str:
    connections.close_all()
    target = Path(settings.DATABASES["default"]["NAME"])
    for suffix in ("-wal", "-shm"):
        Path(f"{target}{suffix}").unlink(missing_ok=True)
    partial = target.with_name(f".{target.name}.partial")
    shutil.copyfile(folder / "database.sqlite3", partial)
    partial.chmod(0o600)
    os.replace(partial, target)
    return "database"


def _restore_postgresql(folder: Path) -> str:
    connections.close_all()
    command = ["pg_restore", "--clean", "--if-exists", "--no-owner", "--single-transaction"]
    db = settings.DATABASES["default"]["NAME"]
    _run([*command, f"--dbname={db}", str(folder / "database.pgdump")])
    return "database"
