"""`evidence meta` input as a Dutch spreadsheet saves it, and tiny tau2/I2 (issue 11, item 11).

Dutch Excel saves "CSV (puntkomma-gescheiden)": cells separated by ';' and numbers
with a decimal comma. The header line tells the separator; a decimal comma is then
unambiguous, a point in such a file is not (a thousands separator?) and is refused.
"""

from __future__ import annotations

import json
import math

import pytest
from numpy.testing import assert_allclose

from evidence import meta
from evidence.errors import DataError

from cli_runner import run_cli

GENERIC = "study,yi,vi\nA,-0.5,0.04\nB,0.25,0.0625\nC,0.1,0.01\n"
DUTCH = "study;yi;vi\nA;-0,5;0,04\nB;0,25;0,0625\nC;0,1;0,01\n"
BINARY = "study,events_t,n_t,events_c,n_c\nA,4,123,11,139\nB,6,306,29,303\nC,3,231,11,220\n"


def _write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_semicolon_file_with_decimal_commas_gives_the_same_result(tmp_path):
    comma = meta.meta_from_csv(_write(tmp_path, "a.csv", GENERIC), measure="GENERIC",
                               method="REML")
    dutch = meta.meta_from_csv(_write(tmp_path, "b.csv", DUTCH), measure="GENERIC",
                               method="REML")
    assert dutch == comma


def test_semicolon_file_with_a_bom_and_integer_counts(tmp_path):
    path = tmp_path / "c.csv"
    path.write_bytes(b"\xef\xbb\xbf" + BINARY.replace(",", ";").encode())
    frame = meta.read_meta_csv(path, measure="RR")
    assert list(frame["n_t"]) == [123.0, 306.0, 231.0]
    assert list(frame["study"]) == ["A", "B", "C"]


def test_semicolon_file_with_decimal_points_is_read_as_written(tmp_path):
    # no decimal comma anywhere: the points are decimal points (LibreOffice with ';')
    path = _write(tmp_path, "d.csv", GENERIC.replace(",", ";"))
    frame = meta.read_meta_csv(path, measure="GENERIC")
    assert list(frame["yi"]) == [-0.5, 0.25, 0.1]


def test_a_point_next_to_decimal_commas_is_refused(tmp_path):
    path = _write(tmp_path, "e.csv", "study;yi;vi\nA;-0,5;0,04\nB;1.250;0,0625\n")
    with pytest.raises(DataError, match=r"row 3: yi is '1\.250', with a point.*decimal commas"):
        meta.read_meta_csv(path, measure="GENERIC")


def test_study_names_with_commas_do_not_switch_on_decimal_commas(tmp_path):
    path = _write(tmp_path, "f.csv", "study;yi;vi\nSmith, 2005;-0.5;0.04\nJones, 2007;0.25;0.0625\n")
    frame = meta.read_meta_csv(path, measure="GENERIC")
    assert list(frame["study"]) == ["Smith, 2005", "Jones, 2007"]
    assert list(frame["vi"]) == [0.04, 0.0625]


def test_dutch_file_from_the_command_line(tmp_path):
    path = _write(tmp_path, "g.csv", DUTCH)
    proc = run_cli("meta", "--input", str(path), "--measure", "GENERIC", "--method", "DL")
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    assert out["k"] == 3
    assert_allclose(out["yi"], meta.combine_effects([-0.5, 0.25, 0.1], [0.04, 0.0625, 0.01],
                                                    method="DL").yi)


# ----------------------------------------------------------------------------------------------
# tau2 and I2 that are rounding residue print as 0


@pytest.mark.parametrize("method", ["DL", "REML"])
def test_rounding_residue_of_tau2_and_i2_is_reported_as_0(method):
    # Q = (y1 - y2)^2 / 2 = 1 = k - 1 exactly, but sqrt(2)^2 = 2.0000000000000004: the
    # estimators return tau2 = 2.2e-16 and I2 = 2.2e-14 (percent) instead of 0
    res = meta.combine_effects([0.0, math.sqrt(2)], [1.0, 1.0], method=method)
    assert 0 < res.tau2 < 1e-10 and 0 < res.i2 < 1e-10  # the fields keep the computed value
    out = res.to_dict()
    assert out["tau2"] == 0.0 and out["i2"] == 0.0
    pooled = res.summary_frame().iloc[-1]
    assert pooled["tau2"] == 0.0 and pooled["i2"] == 0.0


def test_real_heterogeneity_is_not_rounded():
    res = meta.combine_effects([0.0, 1.0, -0.5], [0.01, 0.01, 0.01], method="DL")
    assert res.to_dict()["tau2"] == res.tau2 > 0.1
    assert res.summary_frame().iloc[-1]["i2"] == res.i2 > 90
