"""Safe streaming of XML events: the one place the package feeds bytes to expat.

PubMed's answers carry a ``DOCTYPE`` that names an external DTD on NCBI's
server. ElementTree never fetches it (Bio.Entrez's parser would, see the field
notes), and this module adds one more rule: a document that declares entities
of its own (an internal DTD subset with ``<!ENTITY``) is refused before any of
its content is parsed, so entity-expansion bombs and external entities
(``SYSTEM "file:///..."``) never get a chance to run. Real E-utilities
answers never declare entities.

Also refused, each with one line naming the source (:class:`RefusedInputError`,
never retried): an encoding Python does not know (``encoding="X-EVIL-9"``); a
namespaced root element (PubMed's answers have none, and a namespace would
hide every record); a stretch of more than :data:`MAX_TEXT_BYTES` bytes in
which no element ends (a giant text node, CDATA section or attribute would
be held in memory whole); and more than :data:`MAX_XML_BYTES` bytes of XML in
one source (after gzip decompression, so a small ``.xml.gz`` bomb stops there).
The checks cost a few comparisons per 16 KiB chunk, not per record.
"""

from __future__ import annotations

import gzip
import io
import os
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import IO, Iterator, Union
from xml.parsers import expat

from .errors import ParseError, RefusedInputError

__all__ = ["MAX_TEXT_BYTES", "MAX_XML_BYTES", "Source", "open_source", "iter_elements", "iter_children",
           "record_spans"]

Source = Union[str, os.PathLike, bytes, bytearray, IO[bytes]]

#: Bytes read and fed at a time: enough to amortise the per-chunk work, few enough that the
#: elements of a chunk's records are still in the processor's cache when they are read and
#: freed (16 KiB parsed the benchmark's records about 8% faster than 64 KiB; 256 KiB 20% slower).
CHUNK = 1 << 14
_MAX_PROLOG = 1 << 20  # a prolog longer than 1 MiB is not an E-utilities answer
#: Most bytes of XML in which no element may end (a text node, CDATA or attribute value);
#: PubMed's longest abstracts are tens of kilobytes.
MAX_TEXT_BYTES = 16 * 2**20
#: Most bytes of XML read from one source, after gzip decompression (the 50,000-record
#: benchmark file is 194 MB).
MAX_XML_BYTES = 4 * 2**30


class _RootSeen(Exception):
    def __init__(self, name: str) -> None:
        self.name = name


class _EntityDeclared(Exception):
    def __init__(self, name: str, line: int, column: int) -> None:
        self.name, self.line, self.column = name, line, column


def open_source(source: Source) -> tuple[IO[bytes], str, bool]:
    """Return ``(binary stream, display name, must_close)`` for a source.

    A path ending in ``.gz`` (or any file starting with the gzip magic bytes)
    is decompressed on the fly.
    """
    if isinstance(source, (bytes, bytearray)):
        return io.BytesIO(bytes(source)), "<bytes>", True
    if isinstance(source, (str, os.PathLike)):
        path = Path(source)
        try:
            raw = open(path, "rb")
        except FileNotFoundError:
            raise ParseError(f"{path}: no such file") from None
        except IsADirectoryError:
            raise ParseError(f"{path}: is a folder, not an XML file") from None
        except OSError as exc:
            raise ParseError(f"{path}: cannot be read ({exc.strerror})") from None
        if raw.peek(2)[:2] == b"\x1f\x8b":
            return gzip.GzipFile(fileobj=raw, mode="rb"), str(path), True
        return raw, str(path), True
    if hasattr(source, "read"):
        return source, getattr(source, "name", "<stream>"), False
    raise TypeError(f"cannot read XML from a {type(source).__name__}")


def _check_prolog(head: bytes, name: str) -> tuple[str | None, bool]:
    """Run expat over the prolog only; refuse entity declarations.

    Returns the root element's name (None when ``head`` holds no start tag
    yet) and whether the prolog ended within ``head``.
    """
    probe = expat.ParserCreate()

    def on_entity(entity_name, *args):
        raise _EntityDeclared(entity_name, probe.CurrentLineNumber, probe.CurrentColumnNumber + 1)

    def on_start(tag, attrs):
        if ":" in tag or any(a == "xmlns" or a.startswith("xmlns:") for a in attrs):
            raise RefusedInputError(
                f"{name}: the root element <{tag}> is in an XML namespace; E-utilities answers "
                "are not, and a namespace would hide every record (refused rather than read as empty)"
            )
        raise _RootSeen(tag)

    probe.EntityDeclHandler = on_entity
    probe.StartElementHandler = on_start
    try:
        probe.Parse(head, False)
    except _RootSeen as seen:
        return seen.name, True
    except LookupError as exc:
        raise _unknown_encoding(name, exc) from None
    except _EntityDeclared as bad:
        raise RefusedInputError(
            f"{name}: line {bad.line}, column {bad.column}: the document declares "
            f"an entity ({bad.name!r}); E-utilities answers never do, and entity "
            "declarations are refused (they can expand without bound or read "
            "local files)"
        ) from None
    except expat.ExpatError as exc:
        raise ParseError(
            f"{name}: malformed XML at line {exc.lineno}, column {exc.offset + 1}: "
            f"{expat.ErrorString(exc.code)}"
        ) from None
    return None, False


def _unknown_encoding(name: str, exc: LookupError) -> RefusedInputError:
    encoding = str(exc).rsplit(":", 1)[-1].strip()
    return RefusedInputError(f"{name}: the XML declares the encoding {encoding!r}, which this "
                             "workbook cannot read; E-utilities answers are UTF-8")


def iter_elements(source: Source, tags: frozenset[str] | set[str], *, chunk: int = CHUNK
                  ) -> Iterator[tuple[str, ET.Element]]:
    """Yield ``(root_tag, element)`` at the end of every element whose tag is in ``tags``.

    The first item is ``(root_tag, None)``, yielded once the prolog has
    been checked and before any content is parsed, so a caller can refuse
    the wrong kind of document early. Streaming: the caller clears each
    element once read. Malformed XML raises :class:`ParseError` with the
    source's name, line and column; a document that declares entities is
    refused before its content is read.
    """
    return _walk(source, chunk, lambda *args: _tagged(tags, *args))


def iter_children(source: Source, *, chunk: int = CHUNK) -> Iterator[tuple[str, ET.Element]]:
    """Yield ``(root_tag, child)`` for every child of the root element, complete, in order.

    As :func:`iter_elements` (first ``(root_tag, None)``, the same checks and
    errors), for documents whose items are the root's children, as an efetch
    answer's records are (the children :func:`record_spans` finds). The root
    lets go of each child before it is yielded, and a child is yielded once the
    next one starts (the last at the end of the document). Faster than
    ``iter_elements``: the C parser reports no events while children complete
    in every chunk, see :func:`_root_children`.
    """
    return _walk(source, chunk, _root_children)


def _walk(source: Source, chunk: int, walker) -> Iterator[tuple[str, ET.Element | None]]:
    stream, name, must_close = open_source(source)
    try:
        root_tag, head = _prolog(stream, name, chunk)
        yield root_tag, None
        parser = ET.XMLParser(target=ET.TreeBuilder())
        yield from walker(parser, _chunks(stream, name, head, chunk), name, root_tag)
    except (OSError, EOFError, gzip.BadGzipFile) as exc:
        raise ParseError(f"{name}: cannot be read: {exc}") from None
    except LookupError as exc:
        raise _unknown_encoding(name, exc) from None
    except ET.ParseError as exc:
        line, column = exc.position
        message = str(exc).split(":")[0]
        raise ParseError(
            f"{name}: malformed XML at line {line}, column {column + 1}: {message}"
        ) from None
    finally:
        if must_close:
            stream.close()


def _prolog(stream: IO[bytes], name: str, chunk: int) -> tuple[str, bytes]:
    """Read up to the root's start tag, checking the prolog: ``(root tag or "", bytes read)``."""
    head = b""
    root = None
    while root is None:
        data = stream.read(chunk)
        head += data
        root, ended = _check_prolog(head, name)
        if not data or ended:
            break
        if len(head) > _MAX_PROLOG:
            raise ParseError(f"{name}: no root element in the first {_MAX_PROLOG} bytes")
    return root or "", head


def _chunks(stream: IO[bytes], name: str, head: bytes, chunk: int) -> Iterator[tuple[bytes, int]]:
    """``(data, bytes so far)`` for each chunk of the document, ``head`` first; refuses more
    than :data:`MAX_XML_BYTES` in all."""
    data, total = head, 0
    while data:
        total += len(data)
        if total > MAX_XML_BYTES:
            raise RefusedInputError(f"{name}: more than {MAX_XML_BYTES:,} bytes of XML (after "
                                    "decompression), the most one file or answer may hold; refused")
        yield data, total
        data = stream.read(chunk)


def _giant_text(name: str, quiet: int, total: int) -> None:
    """Refuse once ``quiet`` bytes, read with no element ending, pass :data:`MAX_TEXT_BYTES`."""
    if quiet > MAX_TEXT_BYTES:
        raise RefusedInputError(
            f"{name}: more than {MAX_TEXT_BYTES:,} bytes of XML with no element ending "
            f"near byte {total:,} (a text node or attribute that large is not a PubMed "
            "record); refused before it fills memory")


def _tagged(tags, parser: ET.XMLParser, chunks, name: str, root_tag: str):
    # What XMLPullParser/iterparse do inside, minus their per-event generator:
    # the C parser appends ("end", element) to our list as it builds the tree.
    events: list = []
    parser._setevents(events, ("end",))
    quiet = total = 0  # bytes fed since a chunk in which some element ended; bytes fed
    for data, total in chunks:
        parser.feed(data)
        if events:
            quiet = 0
        else:
            quiet += len(data)
            _giant_text(name, quiet, total)
        for _, elem in events:
            if elem.tag in tags:
                yield root_tag, elem
        events.clear()
    parser.close()
    for _, elem in events:
        if elem.tag in tags:
            yield root_tag, elem


def _root_children(parser: ET.XMLParser, chunks, name: str, root_tag: str):
    # The tree builder adds each element to its parent when it starts, so after each chunk
    # every child of the root but the last is complete. Reporting events costs a tuple and
    # a list entry per element and keeps every element alive until the list is cleared; so
    # the parser reports none while children complete in every chunk (some element ended
    # there). Only after a chunk in which none did are end events turned on, for the giant
    # text check, and off again once a child completes.
    events: list = []
    parser._setevents(events, ("start", "end"))  # until the root is known
    root = None
    listening = None  # end events on?
    quiet = total = 0
    for data, total in chunks:
        parser.feed(data)
        if root is None:
            if not events:  # the head holds the root's start tag (see _prolog)
                continue
            root = events[0][1]
            ended = any(kind == "end" for kind, _ in events)
        else:
            ended = listening and bool(events)
        events.clear()
        done = len(root) - 1
        if done > 0:
            children = root[:done]
            del root[:done]
            ended = True
        if ended:
            quiet = 0
        else:
            quiet += len(data)
            _giant_text(name, quiet, total)
        if listening is not (done <= 0):  # listen after a chunk in which no child completed
            listening = done <= 0
            parser._setevents(events, ("end",) if listening else ())
        if done > 0:
            for child in children:
                yield root_tag, child
            del children
    root = parser.close()
    children = root[:]
    del root[:]
    for child in children:
        yield root_tag, child


def record_spans(body: bytes, *, name: str = "<bytes>",
                 tags: tuple[str, ...] = ("PubmedArticle", "PubmedBookArticle")) -> list[tuple[str, int, int]]:
    """``(pmid, start, end)`` of each record element directly under the root of ``body``.

    ``body[start:end]`` is the record's XML exactly as stored, from ``<`` of
    its start tag to ``>`` of its end tag; ``pmid`` is the text of the
    record's first ``PMID`` element. Used to answer an efetch of any subset
    of recorded PMIDs with the recorded bytes. Entity declarations are
    refused as in :func:`iter_elements`.
    """
    parser = expat.ParserCreate()
    spans: list[tuple[str, int, int]] = []
    state = {"depth": 0, "start": None, "pmid": None, "text": None}

    def on_entity(entity_name, *args):
        raise _EntityDeclared(entity_name, parser.CurrentLineNumber, parser.CurrentColumnNumber + 1)

    def on_start(tag, attrs):
        state["depth"] += 1
        if state["depth"] == 2 and tag in tags:
            state.update(start=parser.CurrentByteIndex, pmid=None)
        elif state["start"] is not None and tag == "PMID" and state["pmid"] is None:
            state["text"] = []

    def on_end(tag):
        if state["text"] is not None and tag == "PMID":
            state["pmid"] = "".join(state["text"]).strip()
            state["text"] = None
        if state["depth"] == 2 and state["start"] is not None:
            end = body.index(b">", parser.CurrentByteIndex) + 1
            spans.append((state["pmid"] or "", state["start"], end))
            state["start"] = None
        state["depth"] -= 1

    def on_text(data):
        if state["text"] is not None:
            state["text"].append(data)

    parser.EntityDeclHandler = on_entity
    parser.StartElementHandler = on_start
    parser.EndElementHandler = on_end
    parser.CharacterDataHandler = on_text
    try:
        parser.Parse(bytes(body), True)
    except LookupError as exc:
        raise _unknown_encoding(name, exc) from None
    except _EntityDeclared as bad:
        raise RefusedInputError(f"{name}: line {bad.line}, column {bad.column}: the document declares "
                                f"an entity ({bad.name!r}); refused") from None
    except expat.ExpatError as exc:
        raise ParseError(f"{name}: malformed XML at line {exc.lineno}, column {exc.offset + 1}: "
                         f"{expat.ErrorString(exc.code)}") from None
    return spans
