"""The snapshot: recorded E-utilities answers, stored as the bytes received.

Layout of a snapshot folder (``data/pubmed/`` by default)::

    manifest.json          one entry per request (see below)
    records.xml            the assembled seed answer (origin: assembled)
    PROVENANCE.md          where the seed's values came from
    provenance.csv         per PMID: is the abstract / author list complete
    esearch/<key>.xml      answers recorded live (origin: ncbi)
    efetch/<key>.xml

Each request is addressed by :func:`request_key`: the utility and its
parameters minus the caller's identity (``email``, ``tool``, ``api_key``),
so an API key is never written and a replay matches whoever recorded it.
The manifest records, per entry: ``file``, ``utility``, ``parameters``,
``retrieved_at``, ``origin``, ``sha256`` and ``records``.

Writes are atomic (temporary file in the same folder, fsync, rename), the
body before the manifest, so an interrupted run leaves either the old or the
new state, never half a file. Reads check the sha256. The manifest's
read-modify-write holds an exclusive ``fcntl`` lock on ``.manifest.lock``, so
two processes recording into one snapshot keep every entry; temporary files
left by a killed writer are removed by the next write.

The manifest is validated when read: each entry must have the fields above
with the right types, and its ``file`` must be a relative path inside the
snapshot folder (an absolute path or ``..`` is refused, never read). Every
file read or written (``manifest.json`` itself, each entry's file) must
resolve, symlinks followed, to a regular file inside the snapshot folder and
hold at most :data:`MAX_FILE_BYTES` (:data:`MAX_MANIFEST_BYTES` for the
manifest); anything else is refused with one line naming the file.

Recording never replaces an entry of another origin: a live answer (origin
``ncbi``) to the request of the assembled seed (origin ``assembled``) or of an
imported answer is stored beside it, under ``<key>.<origin>``, with a note
saying it differs. An answer identical to the one stored under its key (checked on
disk) is not stored again, whatever its origin. Replay keeps
answering the request from the original entry, so the seed survives a
re-record and :meth:`Snapshot.seed_pmids` (found by origin) still lists it.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
import re
import shlex
import stat
import tempfile
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Mapping

import pandas as pd

from ._xml import record_spans
from .errors import ChecksumError, ReplayMissError, SnapshotError

__all__ = ["IDENTITY_PARAMS", "MAX_FILE_BYTES", "MAX_MANIFEST_BYTES", "Entry", "Snapshot", "request_key",
           "canonical_params", "atomic_write"]

#: Parameters that identify the caller rather than the request; never stored.
IDENTITY_PARAMS = frozenset({"email", "tool", "api_key"})
MANIFEST = "manifest.json"
LOCK = ".manifest.lock"
FORMAT = 1
UTILITIES = ("esearch", "efetch", "ecitmatch")
_SHA256 = re.compile(r"[0-9a-f]{64}")
#: Largest stored answer read back (also the largest live answer the client accepts).
MAX_FILE_BYTES = 256 * 2**20
#: Largest manifest.json read (the shipped one is 3 kB; 10,000 entries are about 5 MB).
MAX_MANIFEST_BYTES = 64 * 2**20
#: entry field -> (accepted types, required)
_ENTRY_FIELDS = {
    "file": (str, True), "utility": (str, True), "parameters": (dict, True),
    "retrieved_at": (str, True), "origin": (str, True), "sha256": (str, True),
    "records": ((int, type(None)), True), "note": (str, False),
}


def canonical_params(params: Mapping[str, object]) -> dict[str, str]:
    """The request's parameters as stored: identity removed, values as strings, keys sorted."""
    out = {}
    for key in sorted(params):
        value = params[key]
        if key in IDENTITY_PARAMS or value is None:
            continue
        if isinstance(value, (list, tuple)):
            value = ",".join(str(v) for v in value)
        out[key] = str(value)
    return out


def request_key(utility: str, params: Mapping[str, object]) -> str:
    """A stable file-name-safe key for a request: ``<utility>-<sha256 prefix>``."""
    text = json.dumps([utility, canonical_params(params)], sort_keys=True, separators=(",", ":"))
    return f"{utility}-{hashlib.sha256(text.encode('utf-8')).hexdigest()[:20]}"


def atomic_write(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` so that readers see the old file or the new one, never a part.

    Raises
    ------
    OSError
        Of the kind that happened (a full disk, a missing folder, ...), its
        ``filename`` the path being written, so a message names it.
    """
    tmp = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)  # mkstemp makes 0600; give the file the usual mode
        os.replace(tmp, path)
    except BaseException as exc:
        if tmp is not None:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(tmp)
        if isinstance(exc, OSError) and exc.errno is not None:
            raise OSError(exc.errno, exc.strerror or str(exc), str(path)) from None
        raise


@dataclass(frozen=True)
class Entry:
    """One recorded request and where its answer lies."""

    key: str
    file: str
    utility: str
    parameters: dict
    retrieved_at: str
    origin: str
    sha256: str
    records: int | None
    note: str = ""

    def to_dict(self) -> dict:
        out = {
            "file": self.file,
            "utility": self.utility,
            "parameters": self.parameters,
            "retrieved_at": self.retrieved_at,
            "origin": self.origin,
            "sha256": self.sha256,
            "records": self.records,
        }
        if self.note:
            out["note"] = self.note
        return out


def describe_request(utility: str, params: Mapping[str, object], limit: int = 300) -> str:
    """A one-line, human-readable form of a request (identity parameters left out)."""
    parts = []
    for key, value in canonical_params(params).items():
        if len(value) > 80:
            n = value.count(",") + 1
            value = f"{value[:60]}...({n} values)" if key == "id" else f"{value[:77]}..."
        parts.append(f"{key}={value}")
    text = f"{utility}?{'&'.join(parts)}"
    return text if len(text) <= limit else text[: limit - 3] + "..."


def record_command(utility: str, params: Mapping[str, object]) -> str:
    """The shell command that records this request live."""
    prefix = "EVIDENCE_MODE=record NCBI_EMAIL=you@example.org evidence fetch"
    if utility == "esearch":
        cmd = [f"--term {shlex.quote(str(params.get('term', '')))}"]
        for opt in ("mindate", "maxdate"):
            if params.get(opt):
                cmd.append(f"--{opt} {params[opt]}")
        if params.get("datetype") and params.get("datetype") != "pdat":
            cmd.append(f"--datetype {params['datetype']}")
        return f"{prefix} {' '.join(cmd)}"
    if utility == "efetch" and params.get("id"):
        ids = canonical_params(params)["id"]
        return f"{prefix} --pmids {ids}"
    return f"{prefix} --term '<the search this request belongs to>'"


def _validate_entry(key: object, value: object, where: Path) -> None:
    """Refuse a manifest entry with missing, unknown or mistyped fields or an unsafe ``file``."""
    if not isinstance(key, str) or not isinstance(value, dict):
        raise SnapshotError(f"{where}: entry {key!r} is not an object of fields; restore the manifest from git or re-record")
    unknown = sorted(set(value) - set(_ENTRY_FIELDS))
    if unknown:
        raise SnapshotError(f"{where}: entry {key}: unknown field(s) {', '.join(map(repr, unknown))}")
    for name, (kinds, required) in _ENTRY_FIELDS.items():
        if name not in value:
            if required:
                raise SnapshotError(f"{where}: entry {key}: the field {name!r} is missing")
            continue
        item = value[name]
        if not isinstance(item, kinds) or (name == "records" and isinstance(item, bool)):
            raise SnapshotError(f"{where}: entry {key}: {name}={item!r} has the wrong type")
    if value["utility"] not in UTILITIES:
        raise SnapshotError(f"{where}: entry {key}: utility {value['utility']!r} is not one of {', '.join(UTILITIES)}")
    if not all(isinstance(k, str) and isinstance(v, str) for k, v in value["parameters"].items()):
        raise SnapshotError(f"{where}: entry {key}: parameters must map names to strings")
    if not _SHA256.fullmatch(value["sha256"]):
        raise SnapshotError(f"{where}: entry {key}: sha256 {value['sha256']!r} is not 64 hex digits")
    if value["records"] is not None and value["records"] < 0:
        raise SnapshotError(f"{where}: entry {key}: records={value['records']} is negative")
    rel = value["file"]
    parts = rel.replace("\\", "/").split("/")
    if not rel or os.path.isabs(rel) or rel.startswith(("/", "\\")) or ".." in parts or "\0" in rel:
        raise SnapshotError(
            f"{where}: entry {key}: file {rel!r} is not a path inside the snapshot folder "
            "(absolute paths and '..' are refused); restore the manifest from git"
        )


class Snapshot:
    """A folder of recorded E-utilities answers with its ``manifest.json``.

    Parameters
    ----------
    folder : path
        The snapshot folder; it need not exist until something is recorded.
        An existing folder with no manifest and no files is an empty
        snapshot (an empty review).
    """

    def __init__(self, folder: str | os.PathLike) -> None:
        self.folder = Path(folder)
        self._record_index: tuple[tuple, dict] | None = None

    def __repr__(self) -> str:
        return f"Snapshot({str(self.folder)!r})"

    # -- manifest -----------------------------------------------------------
    @property
    def manifest_path(self) -> Path:
        return self.folder / MANIFEST

    def _check_folder(self) -> None:
        if self.folder.exists() and not self.folder.is_dir():
            raise SnapshotError(
                f"{self.folder}: the snapshot path is a file, not a folder; set "
                "EVIDENCE_SNAPSHOT to a snapshot folder (one holding manifest.json)"
            )

    def _load(self) -> dict:
        self._check_folder()
        path = self.manifest_path
        if not path.exists():
            # hidden files (the lock, temporaries) and answer folders a killed first write left are no manifest's
            if self.folder.is_dir() and any(not p.name.startswith(".") and p.name not in UTILITIES
                                            for p in self.folder.iterdir()):
                raise SnapshotError(
                    f"{self.folder}: the snapshot folder has files but no {MANIFEST}; restore it "
                    "with `git checkout -- data/pubmed/manifest.json`, or point EVIDENCE_SNAPSHOT "
                    "at a snapshot folder (an empty folder is an empty snapshot)"
                )
            return {"format": FORMAT, "entries": {}}
        raw = self._read_file(path, MAX_MANIFEST_BYTES, "the snapshot manifest")
        try:
            data = json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as exc:
            raise SnapshotError(
                f"{path}: the snapshot manifest cannot be read ({exc}); restore it "
                "with `git checkout -- data/pubmed/manifest.json` or re-record"
            ) from None
        if not isinstance(data, dict) or not isinstance(data.get("entries"), dict):
            raise SnapshotError(f"{path}: not a snapshot manifest (no 'entries' object)")
        if data.get("format", FORMAT) != FORMAT:
            raise SnapshotError(f"{path}: manifest format {data.get('format')!r}; this workbook reads format {FORMAT}")
        for key, value in data["entries"].items():
            _validate_entry(key, value, path)
        return data

    def entries(self) -> list[Entry]:
        """Every recorded entry, in manifest order."""
        return [Entry(key=k, **v) for k, v in self._load()["entries"].items()]

    def summary_frame(self):
        """The manifest as a DataFrame: one row per recorded request."""
        rows = []
        for e in self.entries():
            params = dict(e.parameters)
            if "id" in params:
                params["id"] = f"<{params['id'].count(',') + 1} PMIDs>"
            rows.append({
                "key": e.key, "utility": e.utility, "origin": e.origin, "records": e.records,
                "retrieved_at": e.retrieved_at, "file": e.file,
                "parameters": "&".join(f"{k}={v}" for k, v in params.items()),
            })
        return pd.DataFrame(rows, columns=["key", "utility", "origin", "records",
                                           "retrieved_at", "file", "parameters"])

    def seed_pmids(self) -> list[str]:
        """The PMIDs of the efetch entries that were assembled rather than recorded.

        In replay mode with no recorded search the review starts from these.

        Raises
        ------
        SnapshotError
            The snapshot folder does not exist (an empty folder is fine: no
            PMIDs), is a file, or holds files without a manifest.
        """
        self._check_folder()
        if not self.folder.exists():
            raise SnapshotError(
                f"{self.folder}: no such snapshot folder; set EVIDENCE_SNAPSHOT to an existing "
                "folder (an empty folder is an empty review), or record one (EVIDENCE_MODE=record)"
            )
        pmids: list[str] = []
        for e in self.entries():
            if e.utility == "efetch" and e.origin == "assembled":
                for p in e.parameters.get("id", "").split(","):
                    if p and p not in pmids:
                        pmids.append(p)
        return pmids

    def __contains__(self, request: tuple[str, Mapping[str, object]]) -> bool:
        utility, params = request
        return request_key(utility, params) in self._load()["entries"]

    # -- read ---------------------------------------------------------------
    def _inside(self, path: Path, what: str) -> str:
        """``path`` resolved (symlinks followed); refused unless it lies inside the snapshot folder."""
        root = os.path.realpath(self.folder)
        real = os.path.realpath(path)
        if os.path.commonpath([root, real]) != root:
            raise SnapshotError(
                f"{path}: {what} resolves to {real}, outside the snapshot folder {root} (a symlink?); "
                "refused. Replace the link with the file itself, or restore it from git"
            )
        return real

    def _read_file(self, path: Path, limit: int, what: str) -> bytes:
        """The bytes of a regular file inside the snapshot, at most ``limit`` of them; else one clean error."""
        real = self._inside(path, what)
        try:
            # O_NONBLOCK: a FIFO planted as a stored file must not block the open
            with os.fdopen(os.open(real, os.O_RDONLY | os.O_NONBLOCK), "rb") as handle:
                info = os.fstat(handle.fileno())
                if not stat.S_ISREG(info.st_mode):
                    raise SnapshotError(f"{path}: {what} is not a regular file (a device, pipe or folder); refused")
                if info.st_size > limit:
                    raise SnapshotError(f"{path}: {what} holds {info.st_size:,} bytes, more than the "
                                        f"{limit:,} accepted; refused")
                body = handle.read(limit + 1)
        except OSError as exc:
            raise SnapshotError(f"{path}: {what} cannot be read ({exc.strerror}); restore it from git "
                                "or re-record") from None
        if len(body) > limit:  # grew while read
            raise SnapshotError(f"{path}: {what} holds more than the {limit:,} bytes accepted; refused")
        return body

    def _intact(self, key: str, entry: dict) -> bool:
        try:
            self._read(key, entry)
        except SnapshotError:
            return False
        return True

    def _read(self, key: str, entry: dict) -> bytes:
        path = self.folder / entry["file"]
        body = self._read_file(path, MAX_FILE_BYTES, f"listed in {MANIFEST} but")
        digest = hashlib.sha256(body).hexdigest()
        if digest != entry["sha256"]:
            raise ChecksumError(
                f"{path}: sha256 {digest[:12]}... does not match the manifest's "
                f"{entry['sha256'][:12]}...; the file was changed after it was recorded. "
                "Restore it from git, or re-record it (EVIDENCE_MODE=record)"
            )
        return body

    def get(self, utility: str, params: Mapping[str, object]) -> bytes:
        """The recorded answer to a request, checked against its sha256.

        An efetch of PMIDs (``id=...``) that was not recorded as such is
        answered from the records the snapshot holds, whichever requests
        they were recorded with (see :meth:`assemble`).

        Raises
        ------
        ReplayMissError
            The snapshot holds no answer to this request; the message names
            the request (or the PMIDs it lacks) and the command that records it.
        ChecksumError
            The stored file differs from what was recorded.
        """
        key = request_key(utility, params)
        entries = self._load()["entries"]
        entry = entries.get(key)
        if entry is not None:
            return self._read(key, entry)
        pmids = _pmid_request(utility, params)
        if pmids is not None and entries:
            return self.assemble(pmids, entries=entries)
        if not self.folder.exists():
            raise ReplayMissError(
                f"replay: no such snapshot folder {self.folder}; set EVIDENCE_SNAPSHOT to an existing "
                f"snapshot folder, or record this request: {record_command(utility, params)}"
            )
        raise ReplayMissError(
            f"replay: the snapshot {self.folder} holds no answer to "
            f"{describe_request(utility, params)} (key {key}). Record it with network "
            f"access: {record_command(utility, params)}"
        )

    def file_of(self, utility: str, params: Mapping[str, object]) -> str:
        """Where :meth:`get` finds the answer to a request: the stored file, or the folder it assembles from."""
        entry = self._load()["entries"].get(request_key(utility, params))
        if entry is not None:
            return str(self.folder / entry["file"])
        return f"{self.folder} (records assembled from its efetch entries)"

    def _index(self, entries: dict) -> dict[str, tuple[str, int, int]]:
        """PMID -> (entry key, start, end) of its record in the entry's body; cached per manifest."""
        stamp = tuple((k, v["sha256"]) for k, v in entries.items() if v["utility"] == "efetch")
        if self._record_index is not None and self._record_index[0] == stamp:
            return self._record_index[1]
        index: dict[str, tuple[str, int, int]] = {}
        for key, entry in entries.items():
            if entry["utility"] != "efetch" or entry["parameters"].get("retmode") == "text":
                continue  # imported PubMed text files are read by evidence.update, not assembled
            body = self._read(key, entry)
            for pmid, start, end in record_spans(body, name=str(self.folder / entry["file"])):
                # 0009758075 is 9758075 (as evidence.records reads it)
                index.setdefault(pmid.lstrip("0") or pmid, (key, start, end))
        self._record_index = (stamp, index)
        return index

    def assemble(self, pmids: list[str], *, entries: dict | None = None) -> bytes:
        """An efetch answer for ``pmids`` built from the records the snapshot holds.

        Each record's bytes are copied unchanged (checksums verified) from
        the recorded answer that holds it, in the order asked for, inside
        the first such answer's prolog and ``PubmedArticleSet``; the result
        is then checked and parsed like any live answer.

        Raises
        ------
        ReplayMissError
            Some PMIDs are in no recorded answer: they are named, with the
            command that records them.
        """
        entries = self._load()["entries"] if entries is None else entries
        index = self._index(entries)
        missing = [p for p in pmids if p not in index]
        if missing:
            shown = ", ".join(missing[:20]) + (f" and {len(missing) - 20} more" if len(missing) > 20 else "")
            raise ReplayMissError(
                f"replay: the snapshot {self.folder} holds no record of PMID {shown}. "
                "Record it with network access: "
                f"{record_command('efetch', {'id': ','.join(missing)})}"
            )
        bodies: dict[str, bytes] = {}
        parts: list[bytes] = []
        for pmid in pmids:
            key, start, end = index[pmid]
            if key not in bodies:
                bodies[key] = self._read(key, entries[key])
            parts.append(bodies[key][start:end])
        first = bodies[index[pmids[0]][0]]
        cut = first.find(b"<PubmedArticleSet")
        prolog = first[:cut] if cut >= 0 else b'<?xml version="1.0" ?>\n'
        return prolog + b"<PubmedArticleSet>\n" + b"\n".join(parts) + b"\n</PubmedArticleSet>\n"

    # -- write --------------------------------------------------------------
    def check_writable(self) -> None:
        """Raise :class:`SnapshotError` unless answers can be recorded here (before any fetch)."""
        self._check_folder()
        probe = self.folder
        while not probe.exists() and probe != probe.parent:
            probe = probe.parent
        if not probe.is_dir():
            raise SnapshotError(
                f"{self.folder}: the snapshot folder cannot be created: {probe} is a file; "
                "set EVIDENCE_SNAPSHOT to a folder"
            )
        try:
            with tempfile.TemporaryFile(dir=probe):
                pass
            if self.manifest_path.exists():
                with open(self.manifest_path, "ab"):
                    pass
        except OSError as exc:
            raise SnapshotError(
                f"{self.folder}: the snapshot is not writable ({exc.strerror}); record mode "
                "stores every answer there: make it writable, or set EVIDENCE_SNAPSHOT to a "
                "writable folder (nothing was fetched)"
            ) from None

    @contextlib.contextmanager
    def _locked(self):
        """Hold an exclusive lock on the manifest for a read-modify-write."""
        self._check_folder()
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            handle = open(self.folder / LOCK, "a+b")
        except OSError as exc:
            raise SnapshotError(f"{self.folder}: cannot write the snapshot ({exc.strerror})") from None
        with handle:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle.fileno(), fcntl.LOCK_UN)

    def _remove_stray_temporaries(self) -> None:
        """Delete ``.<name>.<random>.tmp`` files a killed writer left (called under the lock)."""
        folders = [self.folder] + [self.folder / u for u in UTILITIES]
        for folder in folders:
            if folder.is_dir():
                for tmp in folder.glob(".*.tmp"):
                    with contextlib.suppress(OSError):
                        tmp.unlink()

    def put(
        self,
        utility: str,
        params: Mapping[str, object],
        body: bytes,
        *,
        origin: str = "ncbi",
        records: int | None = None,
        file: str | None = None,
        retrieved_at: str | None = None,
        note: str = "",
    ) -> Entry:
        """Store an answer and its manifest entry, atomically.

        The body is written first, the manifest second; both by rename, under
        an exclusive lock so concurrent writers never lose each other's entries.
        """
        if not isinstance(body, (bytes, bytearray)):
            raise TypeError("a snapshot stores the bytes received")
        if not isinstance(origin, str) or not re.fullmatch(r"[a-z][a-z0-9_-]{0,31}", origin):
            raise ValueError(f"origin must be a short lower-case word (ncbi, assembled, import), got {origin!r}")
        key = request_key(utility, params)
        rel = file or f"{utility}/{key}.xml"
        entry = Entry(
            key=key,
            file=rel,
            utility=utility,
            parameters=canonical_params(params),
            retrieved_at=retrieved_at or datetime.now(timezone.utc).replace(microsecond=0).isoformat(),
            origin=origin,
            sha256=hashlib.sha256(body).hexdigest(),
            records=records,
            note=note,
        )
        _validate_entry(key, entry.to_dict(), self.manifest_path)
        with self._locked():
            self._remove_stray_temporaries()
            manifest = self._load()
            held = manifest["entries"].get(key)
            if held is not None and held["sha256"] == entry.sha256 and self._intact(key, held):
                return Entry(key=key, **held)  # the same bytes, stored and intact: nothing to add
            if held is not None and held["origin"] != origin:
                # never replace an entry of another origin (the assembled seed, an import)
                beside = f"{key}.{origin}"
                entry = Entry(**{**entry.__dict__, "key": beside,
                                 "file": file or f"{utility}/{beside}.xml",
                                 "note": note or f"differs from the {held['origin']} entry {key}, which "
                                                 "replay keeps answering with"})
                key, rel = beside, entry.file
                _validate_entry(key, entry.to_dict(), self.manifest_path)
            target = self.folder / rel
            self._inside(target.parent if target.parent.exists() else self.folder, "the folder written to")
            try:
                atomic_write(target, bytes(body))
                manifest["format"] = FORMAT
                manifest["entries"][key] = entry.to_dict()
                text = json.dumps(manifest, indent=2, sort_keys=False, ensure_ascii=False) + "\n"
                atomic_write(self.manifest_path, text.encode("utf-8"))
            except OSError as exc:
                if exc.errno is None:  # not from the system (a test's stand-in): as it is
                    raise
                raise SnapshotError(
                    f"{exc.filename or self.folder}: cannot be written ({exc.strerror}); the snapshot "
                    "keeps its previous state. Free space or fix permissions and record again"
                ) from None
        return entry


    # -- imports (evidence update --file) -------------------------------------
    def read_entry(self, entry: Entry) -> bytes:
        """The stored body of a manifest entry, checked against its sha256."""
        return self._read(entry.key, entry.to_dict())

    def put_import(self, body: bytes, *, fmt: str, pmids: list[str], sha256: str, date: str,
                   name: str = "") -> Entry:
        """Store an imported PubMed file as received, as a NEW manifest entry.

        The file goes to ``import/<sha256>.txt`` (PubMed text format) or
        ``import/<sha256>.xml``; the entry is an ``efetch`` of its PMIDs with
        ``retmode`` ``text`` (``rettype`` ``medline``) or ``xml`` and the
        parameter ``import`` = the file's sha256, origin ``import``,
        ``retrieved_at`` the import date. Existing entries and files are not
        rewritten (:meth:`put`: atomic write, manifest lock); a file already
        imported (same sha256) is refused.
        """
        if fmt not in ("medline", "xml"):
            raise ValueError(f"fmt must be 'medline' or 'xml', got {fmt!r}")
        if hashlib.sha256(body).hexdigest() != sha256:
            raise SnapshotError(f"{name or 'the import'}: the bytes changed while they were imported")
        if any(e.parameters.get("import") == sha256 for e in self.entries()):
            raise SnapshotError(f"{name or 'the file'}: already imported (sha256 {sha256[:12]}...)")
        params = {"db": "pubmed", "id": ",".join(pmids), "import": sha256,
                  **({"retmode": "text", "rettype": "medline"} if fmt == "medline" else {"retmode": "xml"})}
        clean = "".join(ch for ch in name if ch.isprintable())[:120]
        note = f"imported from the file {clean!r} ({len(pmids)} records)" if clean else ""
        return self.put("efetch", params, body, origin="import", records=len(pmids),
                        file=f"import/{sha256}.{'txt' if fmt == 'medline' else 'xml'}",
                        retrieved_at=date, note=note)


def _pmid_request(utility: str, params: Mapping[str, object]) -> list[str] | None:
    """The PMIDs of a plain efetch-by-id request (db=pubmed, retmode=xml), else None."""
    if utility != "efetch":
        return None
    canon = canonical_params(params)
    if set(canon) - {"db", "id", "retmode"} or canon.get("db", "pubmed") != "pubmed" \
            or canon.get("retmode", "xml") != "xml" or not canon.get("id"):
        return None
    pmids = [p.strip() for p in canon["id"].split(",") if p.strip()]
    return pmids if pmids and all(p.isascii() and p.isdigit() for p in pmids) else None
