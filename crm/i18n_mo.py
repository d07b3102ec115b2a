"""A compiled gettext catalog (``.mo``) read in place: the file's bytes and a small index.

:class:`gettext.GNUTranslations` decodes every message of a catalog into a dict
when it is opened (about 0.5 MB for ours, and a few milliseconds, before the
window's first paint needs a dozen words). :class:`MoCatalog` keeps the ``.mo``
as it is and indexes its originals in an open-addressed table of 32-bit slots
(a CRC of each original's bytes picks the slot); a message is decoded when it
is asked for. It answers as ``GNUTranslations`` does: ``gettext``, ``ngettext``,
``pgettext``, ``npgettext``, the plural rule from the ``Plural-Forms`` header,
and a fallback for what it does not hold.
"""

from __future__ import annotations

import gettext
import sys
import zlib
from array import array
from collections.abc import Callable

_MAGIC = 0x950412DE


class MoCatalog(gettext.NullTranslations):
    """The catalog in ``data`` (the bytes of a ``.mo`` file)."""

    _fallback: gettext.NullTranslations | None
    _info: dict[str, str]
    plural: Callable[[int], int]

    def __init__(self, data: bytes) -> None:
        super().__init__()
        self._data = data
        self._charset = "utf-8"
        self.plural = _germanic
        order = _byte_order(data)
        header = array("I", data[:28])
        if order != sys.byteorder:
            header.byteswap()
        _magic, version, count, originals, translations = header[:5]
        if version >> 16 not in (0, 1):
            raise OSError(f"unknown .mo file version {version >> 16}")
        # (length, offset) pairs of the originals and of the translations.
        self._originals = _table(data, originals, count, order)
        self._translations = _table(data, translations, count, order)
        self._count = count
        size = 1 << max(4, (2 * count).bit_length())
        self._mask = size - 1
        self._slots = array("I", bytes(4 * size))  # entry + 1; 0 is empty
        view = memoryview(data)
        for entry in range(count):
            length, start = self._originals[2 * entry], self._originals[2 * entry + 1]
            if length == 0:
                self._read_header(entry)
                continue
            # A plural entry's original is "singular\0plural": it is found by the singular.
            end = data.find(b"\0", start, start + length)
            key = view[start : start + length if end < 0 else end]
            slot = zlib.crc32(key) & self._mask
            while self._slots[slot]:
                slot = (slot + 1) & self._mask
            self._slots[slot] = entry + 1

    def _read_header(self, entry: int) -> None:
        """The metadata entry: the charset and the plural rule."""
        for line in self._text(entry).decode("utf-8", "replace").splitlines():
            name, colon, value = line.partition(":")
            if colon:
                self._info[name.strip().lower()] = value.strip()
        content_type = self._info.get("content-type", "")
        if "charset=" in content_type:
            self._charset = content_type.split("charset=")[1].split(";")[0].strip()
        forms = self._info.get("plural-forms", "")
        if "plural=" in forms:
            self.plural = gettext.c2py(forms.split("plural=")[1].split(";")[0].strip())

    def _text(self, entry: int) -> bytes:
        length, start = self._translations[2 * entry], self._translations[2 * entry + 1]
        return self._data[start : start + length]

    def _find(self, key: str) -> int:
        """The entry whose original (a plural's singular) is ``key``; -1 if none."""
        wanted = key.encode(self._charset)
        slot = zlib.crc32(wanted) & self._mask
        data, originals = self._data, self._originals
        while entry := self._slots[slot]:
            length, start = originals[2 * entry - 2], originals[2 * entry - 1]
            if data.startswith(wanted, start, start + length) and (
                length == len(wanted) or data[start + len(wanted)] == 0
            ):
                return entry - 1
            slot = (slot + 1) & self._mask
        return -1

    def _lookup(self, key: str, n: int | None) -> str | None:
        """``key``'s translation; a plural entry's form for ``n`` (for 1 when ``n`` is None,
        as ``GNUTranslations.gettext`` answers a plural's singular). None: not held."""
        entry = self._find(key)
        if entry < 0:
            return None
        text = self._text(entry)
        length, start = self._originals[2 * entry], self._originals[2 * entry + 1]
        if self._data.find(b"\0", start, start + length) < 0:
            return text.decode(self._charset) if n is None else None
        forms = text.split(b"\0")
        index = self.plural(1 if n is None else n)
        return forms[index].decode(self._charset) if 0 <= index < len(forms) else None

    def gettext(self, message: str) -> str:
        text = self._lookup(message, None)
        if text is not None:
            return text
        return self._fallback.gettext(message) if self._fallback else message

    def ngettext(self, msgid1: str, msgid2: str, n: int) -> str:
        text = self._lookup(msgid1, n)
        if text is not None:
            return text
        if self._fallback:
            return self._fallback.ngettext(msgid1, msgid2, n)
        return msgid1 if n == 1 else msgid2

    def pgettext(self, context: str, message: str) -> str:
        text = self._lookup(f"{context}\x04{message}", None)
        if text is not None:
            return text
        return self._fallback.pgettext(context, message) if self._fallback else message

    def npgettext(self, context: str, msgid1: str, msgid2: str, n: int) -> str:
        text = self._lookup(f"{context}\x04{msgid1}", n)
        if text is not None:
            return text
        if self._fallback:
            return self._fallback.npgettext(context, msgid1, msgid2, n)
        return msgid1 if n == 1 else msgid2

    def __len__(self) -> int:
        """How many messages (the metadata entry included), as ``.mo`` tools count them."""
        return self._count


def _germanic(n: int) -> int:
    return int(n != 1)


def _byte_order(data: bytes) -> str:
    if len(data) < 28:
        raise OSError("not a .mo file")
    for order in ("little", "big"):
        if int.from_bytes(data[:4], order) == _MAGIC:
            return order
    raise OSError("not a .mo file")


def _table(data: bytes, offset: int, count: int, order: str) -> array:
    table = array("I", data[offset : offset + 8 * count])
    if order != sys.byteorder:
        table.byteswap()
    if len(table) != 2 * count or any(
        table[i] + table[i + 1] > len(data) for i in range(0, len(table), 2)
    ):
        raise OSError("a damaged .mo file")
    return table
