"""Settings read from the environment, in one place.

The workbook has five settings (see the README and ``docs/contracts.md``):

=====================  =====================================================  ==================
variable               meaning                                                default
=====================  =====================================================  ==================
``EVIDENCE_MODE``      ``replay`` (snapshot only, never opens a socket),      ``replay``
                       ``record`` (live + write snapshot), ``live``
``NCBI_EMAIL``         e-mail sent to NCBI with every live request            none (live modes
                                                                              refuse to start)
``NCBI_API_KEY``       NCBI API key: 10 instead of 3 requests/s               none
``EVIDENCE_SNAPSHOT``  snapshot folder                                        ``data/pubmed/``
``EVIDENCE_DATA``      folder of the review's data files                      ``data/``
=====================  =====================================================  ==================

Paths derive from the package's location, never from the current directory,
so a notebook started anywhere finds the same files (a wheel install finds the
workbook it installed under ``share/evidence``). Reading the settings
has no side effects: nothing is created, logged or printed.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Mapping

from .errors import SettingsError

__all__ = ["MODES", "REPO_ROOT", "Settings", "load_settings"]

#: The three ways the PubMed client can run.
MODES = ("replay", "record", "live")



def _workbook_root() -> Path:
    """The folder holding the workbook's ``data/`` and ``notebooks/``.

    From the repository (an editable install, or the checkout on ``PYTHONPATH``) it is the
    checkout, beside the package. A wheel install (``pip install .``) has no checkout: it
    installs the workbook as data files under ``<data>/share/evidence`` (pyproject.toml), where
    ``<data>`` is the data path of the install scheme whose site-packages holds the package
    (``sys.prefix`` for a venv or conda environment, ``~/.local`` for ``--user``).
    """
    package = Path(__file__).resolve().parent
    checkout = package.parent
    if (checkout / "data").is_dir() and (checkout / "notebooks").is_dir():
        return checkout
    import sysconfig

    for scheme in sysconfig.get_scheme_names():
        paths = sysconfig.get_paths(scheme)
        if checkout in {Path(paths[key]).resolve() for key in ("purelib", "platlib") if key in paths}:
            installed = Path(paths["data"]) / "share" / "evidence"
            if installed.is_dir():
                return installed
    return checkout


#: The workbook's top folder: the repository's checkout (``data/`` lies beside the package),
#: or for a wheel install the copy of ``data/`` and ``notebooks/`` under ``share/evidence``.
REPO_ROOT = _workbook_root()


@dataclass(frozen=True)
class Settings:
    """The workbook's settings, validated.

    Attributes
    ----------
    mode : str
        ``"replay"``, ``"record"`` or ``"live"``.
    email : str or None
        Sent to NCBI as ``email``; required in the live modes.
    api_key : str or None
        NCBI API key; never written anywhere and hidden from ``repr``.
    snapshot_dir : Path
        Folder holding the recorded E-utilities answers and ``manifest.json``.
    data_dir : Path
        Folder of the review's data files (labels, effects, claims, ...).
    """

    mode: str = "replay"
    email: str | None = None
    api_key: str | None = field(default=None, repr=False)
    snapshot_dir: Path = REPO_ROOT / "data" / "pubmed"
    data_dir: Path = REPO_ROOT / "data"

    def __post_init__(self) -> None:
        if self.mode not in MODES:
            raise SettingsError(
                f"EVIDENCE_MODE={self.mode!r} is not a mode; use one of "
                f"{', '.join(MODES)} (replay is the default and needs no network)"
            )
        if self.mode != "replay" and not self.email:
            raise SettingsError(
                f"EVIDENCE_MODE={self.mode} talks to NCBI, which requires an e-mail "
                "address with every request: set NCBI_EMAIL=you@example.org "
                "(and optionally NCBI_API_KEY), or use EVIDENCE_MODE=replay"
            )
        if self.email is not None and "@" not in self.email:
            raise SettingsError(
                f"NCBI_EMAIL={self.email!r} is not an e-mail address (it has no '@')"
            )

    @property
    def live(self) -> bool:
        """True when requests go to NCBI (``record`` or ``live``)."""
        return self.mode != "replay"

    @property
    def requests_per_second(self) -> int:
        """NCBI's limit for this client: 10 with an API key, else 3."""
        return 10 if self.api_key else 3


def _path(environ: Mapping[str, str], name: str, default: Path) -> Path:
    value = environ.get(name, "").strip()
    if not value:
        return default
    path = Path(value).expanduser()
    if not path.is_absolute():
        raise SettingsError(
            f"{name}={value!r} is a relative path; give an absolute path so the "
            "result does not depend on the folder a notebook was started from"
        )
    return path


def load_settings(environ: Mapping[str, str] | None = None, **overrides) -> Settings:
    """Read the settings from the environment (or from ``environ``).

    Parameters
    ----------
    environ : mapping, optional
        The variables to read; ``os.environ`` when omitted.
    **overrides
        Field values that win over the environment, e.g. ``mode="replay"``
        from a notebook's parameters cell. ``None`` values are ignored.

    Returns
    -------
    Settings

    Raises
    ------
    SettingsError
        An unknown mode, a live mode without ``NCBI_EMAIL``, a relative path.
    """
    env = os.environ if environ is None else environ
    data_dir = _path(env, "EVIDENCE_DATA", REPO_ROOT / "data")
    values = {
        "mode": (env.get("EVIDENCE_MODE", "").strip() or "replay").lower(),
        "email": env.get("NCBI_EMAIL", "").strip() or None,
        "api_key": env.get("NCBI_API_KEY", "").strip() or None,
        "snapshot_dir": _path(env, "EVIDENCE_SNAPSHOT", REPO_ROOT / "data" / "pubmed"),
        "data_dir": data_dir,
    }
    unknown = set(overrides) - set(values)
    if unknown:
        raise TypeError(f"load_settings() got unknown settings: {', '.join(sorted(unknown))}")
    values.update({k: v for k, v in overrides.items() if v is not None})
    if isinstance(values["mode"], str):
        values["mode"] = values["mode"].strip().lower()
    return Settings(**values)
