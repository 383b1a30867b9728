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
new state, never half a file. Reads check the sha256.
"""

from __future__ import annotations

import hashlib
import json
import os
import shlex
import tempfile
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Mapping

from .errors import ChecksumError, ReplayMissError, SnapshotError

__all__ = ["IDENTITY_PARAMS", "Entry", "Snapshot", "request_key", "canonical_params", "atomic_write"]

#: Parameters that identify the caller rather than the request; never stored.
IDENTITY_PARAMS = frozenset({"email", "tool", "api_key"})
MANIFEST = "manifest.json"
FORMAT = 1


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
    """Write ``data`` to ``path`` so that readers see the old file or the new one, never a part."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)  # mkstemp makes 0600; give the file the usual mode
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
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

    def as_json(self) -> dict:
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


class Snapshot:
    """A folder of recorded E-utilities answers with its ``manifest.json``.

    Parameters
    ----------
    folder : path
        The snapshot folder; it need not exist until something is recorded.
    """

    def __init__(self, folder: str | os.PathLike) -> None:
        self.folder = Path(folder)

    def __repr__(self) -> str:
        return f"Snapshot({str(self.folder)!r})"

    # -- manifest -----------------------------------------------------------
    @property
    def manifest_path(self) -> Path:
        return self.folder / MANIFEST

    def _load(self) -> dict:
        path = self.manifest_path
        if not path.exists():
            return {"format": FORMAT, "entries": {}}
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise SnapshotError(
                f"{path}: the snapshot manifest cannot be read ({exc}); restore it "
                "with `git checkout -- data/pubmed/manifest.json` or re-record"
            ) from None
        if not isinstance(data, dict) or not isinstance(data.get("entries"), dict):
            raise SnapshotError(f"{path}: not a snapshot manifest (no 'entries' object)")
        return data

    def entries(self) -> list[Entry]:
        """Every recorded entry, in manifest order."""
        return [Entry(key=k, **v) for k, v in self._load()["entries"].items()]

    def summary_frame(self):
        """The manifest as a DataFrame: one row per recorded request."""
        import pandas as pd

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
        """
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
    def get(self, utility: str, params: Mapping[str, object]) -> bytes:
        """The recorded answer to a request, checked against its sha256.

        Raises
        ------
        ReplayMissError
            The snapshot holds no answer to this request; the message names
            the request and the command that records it.
        ChecksumError
            The stored file differs from what was recorded.
        """
        key = request_key(utility, params)
        entry = self._load()["entries"].get(key)
        if entry is None:
            raise ReplayMissError(
                f"replay: the snapshot {self.folder} holds no answer to "
                f"{describe_request(utility, params)} (key {key}). Record it with network "
                f"access: {record_command(utility, params)}"
            )
        path = self.folder / entry["file"]
        try:
            body = path.read_bytes()
        except OSError as exc:
            raise SnapshotError(
                f"{path}: listed in {self.manifest_path.name} but cannot be read "
                f"({exc.strerror}); restore it from git or re-record"
            ) from None
        digest = hashlib.sha256(body).hexdigest()
        if digest != entry["sha256"]:
            raise ChecksumError(
                f"{path}: sha256 {digest[:12]}... does not match the manifest's "
                f"{entry['sha256'][:12]}...; the file was changed after it was recorded. "
                "Restore it from git, or re-record it (EVIDENCE_MODE=record)"
            )
        return body

    # -- write --------------------------------------------------------------
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

        The body is written first, the manifest second; both by rename.
        """
        if not isinstance(body, (bytes, bytearray)):
            raise TypeError("a snapshot stores the bytes received")
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
        manifest = self._load()
        atomic_write(self.folder / rel, bytes(body))
        manifest["format"] = FORMAT
        manifest["entries"][key] = entry.as_json()
        text = json.dumps(manifest, indent=2, sort_keys=False, ensure_ascii=False) + "\n"
        atomic_write(self.manifest_path, text.encode("utf-8"))
        return entry
