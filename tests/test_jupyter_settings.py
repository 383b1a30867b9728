"""JupyterLab settings shipped with the project (issue 11, item 11): no "Jupyter news" pop-up.

`make install` copies jupyter/overrides.d/evidence.json into the environment, where JupyterLab
reads it (<sys.prefix>/share/jupyter/lab/settings/overrides.d/); a wheel install puts it there
through pyproject's data-files.
"""

import json
import sys
from pathlib import Path

from jupyterlab_server.settings_utils import _get_overrides

REPO = Path(__file__).resolve().parents[1]
SHIPPED = REPO / "jupyter" / "overrides.d" / "evidence.json"
APP_SETTINGS = Path(sys.prefix) / "share" / "jupyter" / "lab" / "settings"


def test_shipped_overrides_turn_the_news_off():
    settings = json.loads(SHIPPED.read_text(encoding="utf-8"))
    notification = settings["@jupyterlab/apputils-extension:notification"]
    assert notification == {"fetchNews": "false", "checkForUpdates": False}


def test_the_environment_has_them_where_jupyterlab_reads_them():
    installed = APP_SETTINGS / "overrides.d" / "evidence.json"
    assert installed.is_file(), "run `make install` (it copies jupyter/overrides.d/ into the environment)"
    assert json.loads(installed.read_text(encoding="utf-8")) == json.loads(SHIPPED.read_text(encoding="utf-8"))
    overrides, error = _get_overrides(str(APP_SETTINGS))
    assert not error
    assert overrides["@jupyterlab/apputils-extension:notification"]["fetchNews"] == "false"
