"""Reading the review's YAML files (``claims.yaml``, ``eligibility.yaml``, the analysis plan) safely.

One loader, :func:`load_yaml`, for every YAML file a person edits by hand. Beyond
``yaml.safe_load`` (no Python objects) it refuses, with one line naming the file and the line:

- **anchors and aliases** (``&a`` / ``*a``): a few lines of aliases expand to billions of
  nodes (the "billion laughs" alias bomb); the review's files never need them;
- **duplicate keys** in a mapping: YAML 1.2 forbids them, PyYAML keeps the last silently;
- **files larger than** :data:`MAX_BYTES` and nesting deeper than :data:`MAX_DEPTH`;
- text that is not UTF-8 (a UTF-8 BOM is allowed).

References
----------
.. [1] YAML Ain't Markup Language (YAML) version 1.2.2, section 3.2.1.1 (mapping keys are
   unique). https://yaml.org/spec/1.2.2/
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from ._csv import read_bytes
from .errors import DataError

__all__ = ["MAX_BYTES", "MAX_DEPTH", "load_yaml", "loads_yaml"]

#: Largest YAML file read (the review's are a few kB).
MAX_BYTES = 1_000_000
#: Deepest nesting of lists and mappings.
MAX_DEPTH = 20


class _Loader(yaml.SafeLoader):
    """SafeLoader that refuses aliases, anchors and duplicate keys, and bounds the depth."""

    def compose_node(self, parent, index):  # noqa: D401 - PyYAML hook
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise _Refused(event.start_mark, f"alias *{event.anchor} (anchors and aliases are "
                                             "not allowed; write the value out)")
        event = self.peek_event()
        anchor = getattr(event, "anchor", None)
        if anchor is not None:
            raise _Refused(event.start_mark, f"anchor &{anchor} (anchors and aliases are not "
                                             "allowed; write the value out)")
        self._depth = getattr(self, "_depth", 0) + 1
        try:
            if self._depth > MAX_DEPTH:
                raise _Refused(event.start_mark, f"nested deeper than {MAX_DEPTH} levels")
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1

    def construct_mapping(self, node, deep=False):
        seen: dict = {}
        for key_node, _ in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                raise _Refused(key_node.start_mark, "merge key << is not allowed")
            key = self.construct_object(key_node, deep=True)
            try:
                hash(key)
            except TypeError:
                raise _Refused(key_node.start_mark, "a mapping key must be a plain value") from None
            if key in seen:
                raise _Refused(key_node.start_mark, f"duplicate key {key!r} (first on line "
                                                    f"{seen[key] + 1}); keep one")
            seen[key] = key_node.start_mark.line
        return super().construct_mapping(node, deep=deep)


class _Refused(Exception):
    def __init__(self, mark, message: str):
        super().__init__(message)
        self.mark, self.message = mark, message


def loads_yaml(text: str, *, name: str = "<yaml>") -> Any:
    """Parse YAML ``text`` with the rules of :func:`load_yaml`; ``name`` goes into messages."""
    if len(text) > MAX_BYTES:
        raise DataError(f"{name}: larger than {MAX_BYTES:,} characters; the review's YAML files "
                        "are a few kB")
    try:
        return yaml.load(text, Loader=_Loader)  # noqa: S506 - _Loader is a SafeLoader
    except _Refused as exc:
        raise DataError(f"{name}, line {exc.mark.line + 1}: {exc.message}") from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f", line {mark.line + 1}" if mark is not None else ""
        what = " ".join(str(exc.problem or exc.context or "").split())
        raise DataError(f"{name}{where}: not valid YAML ({what})") from None
    except yaml.YAMLError as exc:
        raise DataError(f"{name}: not valid YAML ({' '.join(str(exc).split())})") from None
    except RecursionError:
        raise DataError(f"{name}: nested too deeply") from None


def load_yaml(path: str | Path) -> Any:
    """Read a hand-edited YAML file safely.

    Parameters
    ----------
    path : path
        The file (UTF-8; a BOM is allowed).

    Returns
    -------
    Any
        The parsed document (lists, dicts, str, int, float, bool, None, dates).

    Raises
    ------
    DataError
        One line naming the file (and the line where it applies): the file cannot be read,
        is larger than :data:`MAX_BYTES`, is not UTF-8, is not valid YAML, uses an anchor or
        alias, repeats a key in a mapping, or nests deeper than :data:`MAX_DEPTH`.
    """
    path = Path(path)
    data = read_bytes(path, MAX_BYTES, "the review's YAML files are a few kB")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise DataError(f"{path}: not UTF-8 text (byte {exc.start}); save it as UTF-8") from None
    if "\x00" in text:
        raise DataError(f"{path}, line {text[:text.index(chr(0))].count(chr(10)) + 1}: a NUL "
                        "byte; the file is binary or damaged")
    return loads_yaml(text, name=str(path))
