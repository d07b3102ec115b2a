"""Files the app writes: checked before anything is read, private, replaced only whole."""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO, Any

from crm.core.errors import ValidationError

# Every file the app writes holds people's personal data: its owner's alone,
# whatever the umask.
PRIVATE_MODE = 0o600


# The largest file read whole into memory (an import): 200 MB is about a million contacts.
INPUT_LIMIT = 200 * 1024 * 1024


def input_file(path: str | os.PathLike[str], limit: int = INPUT_LIMIT, field: str = "file") -> Path:
    """``path``, refused unless it is an ordinary file of at most ``limit`` bytes.

    Checked before reading: a pipe would wait for a writer for ever, and a
    device such as /dev/zero never ends.
    """
    where = Path(path).expanduser()
    try:
        info = where.stat()
    except FileNotFoundError:
        raise ValidationError(
            code="files.cannot_read_there_such", field=field, where=where
        ) from None
    except OSError as exc:
        raise ValidationError(
            code="files.cannot_read", field=field, where=where, value=exc.strerror or exc
        ) from None
    if stat.S_ISDIR(info.st_mode):
        raise ValidationError(code="files.cannot_read_folder", field=field, where=where)
    if not stat.S_ISREG(info.st_mode):
        raise ValidationError(code="files.cannot_read_ordinary_file", field=field, where=where)
    if info.st_size > limit:
        raise ValidationError(
            code="files.mb_files_up_mb",
            field=field,
            where=where,
            info_st_size=info.st_size / 1024 / 1024,
            limit=limit // 1024 // 1024,
        )
    return where


def output_file(path: str | os.PathLike[str], field: str = "output") -> Path:
    """The file ``path`` names, refused when a finished file cannot replace it.

    Every writer in the app writes a temporary file beside the target and
    renames it into place, so the target must be a regular file or nothing yet:
    a folder, a device such as /dev/null, or a pipe is refused (renaming onto a
    device would replace the device itself), as is a folder that does not exist.
    """
    out = Path(path).expanduser()
    if out.is_dir():
        raise ValidationError(code="files.folder_file_name", field=field, out=out)
    if out.exists() and not out.is_file():
        raise ValidationError(code="files.ordinary_file_device_pipe", field=field, out=out)
    if not out.parent.is_dir():
        raise ValidationError(code="files.folder_does_exist", field=field, out_parent=out.parent)
    return out


def create_private_file(path: Path) -> None:
    """Create an empty file that only its owner can read (parents made as needed)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, PRIVATE_MODE)
    os.close(fd)
    # os.open's mode passes through the umask; an odd umask (0o277) must not leave it 0400.
    os.chmod(path, PRIVATE_MODE)


@contextlib.contextmanager
def private_output(
    path: str | os.PathLike[str], field: str = "output"
) -> Iterator[tuple[str, Callable[[], None]]]:
    """A private temp file beside ``path``, and ``commit()`` that renames it onto ``path``.

    For writers that hand a file name to a library (the PDFs) or must rename
    inside a database transaction. Without a commit, or on an error, the temp
    file is removed and ``path`` is left as it was.
    """
    out = output_file(path, field)
    try:
        # mkstemp creates the file 0600 whatever the umask.
        fd, tmp = tempfile.mkstemp(dir=out.parent, prefix=f".{out.name}.", suffix=".part")
    except OSError as exc:
        raise ValidationError(
            code="files.cannot_write", field=field, out=out, strerror=exc.strerror
        ) from None
    os.close(fd)
    done = False

    def commit() -> None:
        nonlocal done
        os.chmod(tmp, PRIVATE_MODE)  # a library may have recreated it
        os.replace(tmp, out)
        done = True

    try:
        yield tmp, commit
    finally:
        if not done:
            Path(tmp).unlink(missing_ok=True)


@contextlib.contextmanager
def write_private(
    path: str | os.PathLike[str], encoding: str | None = "utf-8", field: str = "output"
) -> Iterator[IO[Any]]:
    """``path`` written whole or not at all, readable by its owner only.

    Text with ``newline=""`` (line ends are the writer's), or binary when
    ``encoding`` is None. A full disk or a target another program holds open
    becomes a :class:`ValidationError`; any error leaves ``path`` as it was.
    """
    with private_output(path, field) as (tmp, commit):
        out = Path(path).expanduser()
        mode, newline = ("wb", None) if encoding is None else ("w", "")
        try:
            with open(tmp, mode, encoding=encoding, newline=newline) as handle:
                yield handle
            commit()
        except OSError as exc:
            raise ValidationError(
                code="files.cannot_write", field=field, out=out, strerror=exc.strerror
            ) from None
