"""Risk-of-bias figures (evidence/robplots.py), asserted through the data drawn, not pixels.

robvis's RoB 2 colours, its default "cochrane" scheme (robvis R/rob_traffic_light.R, `colour ==
"cochrane"`: low "#02C100", concerns "#E2DF07", high "#BF0000", ni "#4EA1F7"; McGuinness & Higgins
2021, Res Synth Methods 12:55-61). Expected shares are worked out by hand below.
"""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from matplotlib.colors import to_hex  # noqa: E402

from evidence import robplots  # noqa: E402

ROBVIS_COCHRANE = {"low": "#02c100", "some_concerns": "#e2df07", "high": "#bf0000", "no_information": "#4ea1f7"}


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def _rob(rows, *, crossover=False):
    columns = ["study_id", "comparison", "d1"] + (["ds"] if crossover else []) + ["d2", "d3", "d4", "d5", "overall"]
    return pd.DataFrame(rows, columns=columns)


SMALL = _rob([
    ("white2004", "*", "some_concerns", "low", "low", "high", "low", "high"),
    ("melchart2005", "acupuncture_vs_sham", "low", "low", "no_information", "low", "low", "some_concerns"),
    ("melchart2005", "acupuncture_vs_usual_care", "low", "low", "no_information", "high", "low", "high"),
    ("endres2007", "*", "low", "low", "low", "low", "low", "low"),
])


def test_colours_and_symbols_are_robvis_rob2():
    assert {k: v.lower() for k, v in robplots.ROB_COLOURS.items()} == ROBVIS_COCHRANE
    assert robplots.ROB_SYMBOLS == {"low": "+", "some_concerns": "-", "high": "X", "no_information": "?"}


def test_traffic_light_data_has_a_row_per_result_and_names_the_comparison_only_when_needed():
    data = robplots.traffic_light_data(SMALL)
    assert list(data.columns) == ["d1", "d2", "d3", "d4", "d5", "overall"]
    assert list(data.index) == ["White 2004", "Melchart 2005 (acupuncture vs sham)",
                                "Melchart 2005 (acupuncture vs usual care)", "Endres 2007"]
    assert data.loc["White 2004", "d4"] == "high" and data.loc["Endres 2007", "overall"] == "low"
    dutch = robplots.traffic_light_data(SMALL, lang="nl")
    assert dutch.index[1] == "Melchart 2005 (acupunctuur vs schijnbehandeling)"


def test_crossover_domain_gets_its_own_column_after_d1():
    rob = _rob([("irnich2002", "*", "some_concerns", "high", "low", "low", "low", "low", "high")], crossover=True)
    assert list(robplots.traffic_light_data(rob).columns) == ["d1", "ds", "d2", "d3", "d4", "d5", "overall"]
    ax = robplots.traffic_light(rob)
    assert [t.get_text() for t in ax.get_xticklabels()] == ["D1", "DS", "D2", "D3", "D4", "D5", "Overall"]


def test_traffic_light_draws_each_cell_in_its_judgements_colour_and_symbol():
    ax = robplots.traffic_light(SMALL)
    dots = [c for c in ax.collections if c.get_gid() == "judgements"][0]
    cells = robplots.traffic_light_data(SMALL).to_numpy().ravel()
    assert [to_hex(c) for c in dots.get_facecolors()] == [ROBVIS_COCHRANE[j] for j in cells]
    symbols = [t.get_text() for t in ax.texts if t.get_gid() == "symbol"]
    assert symbols == [robplots.ROB_SYMBOLS[j] for j in cells]
    assert [t.get_text() for t in ax.get_yticklabels()][0] == "White 2004"


def test_unweighted_summary_counts_each_study_once():
    data = robplots.summary_data(SMALL)
    # three studies; Melchart 2005 is rated twice (one row per comparison), each row half a study.
    # overall: White high (1), Melchart some concerns (1/2) + high (1/2), Endres low (1) -> of 3
    assert data.loc["overall"].to_dict() == pytest.approx(
        {"low": 100 / 3, "some_concerns": 100 / 6, "high": 100 / 2, "no_information": 0.0})
    # d3: White low, Melchart no information (both rows), Endres low
    assert data.loc["d3", "no_information"] == pytest.approx(100 / 3)
    assert np.allclose(data.sum(axis=1), 100.0)
    assert not data.attrs["weighted"]


def test_weighted_summary_weighs_by_people_randomised_and_says_which_were_imputed():
    weights = {"white2004": 135, "endres2007": 409}  # Melchart 2005's number is not in its abstract
    data = robplots.summary_data(SMALL, weights=weights)
    # Melchart gets the median of the known weights, (135 + 409) / 2 = 272, split over its two rows
    total = 135 + 409 + 272
    assert data.loc["d4", "high"] == pytest.approx(100 * (135 + 136) / total)
    assert data.loc["overall", "low"] == pytest.approx(100 * 409 / total)
    assert data.attrs["imputed"] == ["melchart2005"] and data.attrs["weighted"]
    assert sorted(data.attrs["weights"]) == pytest.approx([135, 136, 136, 409])


def test_study_weights_are_the_numbers_randomised():
    effects = pd.DataFrame({"study_id": ["a", "a", "b", "c"], "n_randomised": [100, 100, None, "40"]})
    assert robplots.study_weights(effects) == {"a": 100.0, "c": 40.0}


def test_summary_plot_bars_are_the_data():
    weights = {"white2004": 135, "endres2007": 409}
    ax = robplots.summary_plot(SMALL, weights=weights, lang="nl")
    data = robplots.summary_data(SMALL, weights=weights)
    for patch in ax.patches:
        _, domain, judgement = patch.get_gid().split(":")
        assert patch.get_width() == pytest.approx(data.loc[domain, judgement])
        assert to_hex(patch.get_facecolor()) == ROBVIS_COCHRANE[judgement]
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert labels[0] == "Randomisatieproces" and labels[-1] == "Totaal"
    assert "mediane studie" in ax.get_xlabel()  # the imputed weights are said on the figure


def test_the_shipped_table_draws(tmp_path):
    from evidence.review import load_rob, load_studies
    from evidence.settings import load_settings

    settings = load_settings(environ={})
    rob = load_rob(settings, studies=load_studies(settings))
    data = robplots.traffic_light_data(rob)
    # data/risk_of_bias_README.md: 21 rows; overall 11 high, 10 some concerns, 0 low (issue 14:
    # Irnich 2002 judged with RoB 2's crossover variant, its only crossover trial)
    assert len(data) == 21
    assert data["overall"].value_counts().to_dict() == {"high": 11, "some_concerns": 10}
    # each study counted once (two rows of Melchart 2005, of Birch 1998 share one weight): half the
    # information at high risk overall, the rest some concerns, none low
    overall = robplots.summary_data(rob).loc["overall"]
    assert overall["high"] == pytest.approx(50.0) and overall["low"] == 0
    # the crossover domain S: one cell judged (Irnich 2002), the other 20 blank, and its bar
    # rests on that one trial alone
    assert (data["ds"] != "not_applicable").sum() == 1
    summary = robplots.summary_data(rob)
    assert summary.loc["ds"].max() == pytest.approx(100.0)


def test_unknown_judgement_is_refused():
    bad = SMALL.copy()
    bad.loc[0, "d2"] = "unclear"
    with pytest.raises(ValueError, match="unclear"):
        robplots.traffic_light_data(bad)
