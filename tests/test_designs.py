"""The design/condition/comparator classifier against hand labels, and its rules on new text.

Expected values come from outside the code: data/labels.csv (a reviewer's
labels of the 45 snapshot records, see data/labels_README.md),
tests/fixtures/ncbi/labels.csv (hand labels of Biopython's real NCBI answers,
see that folder's README), and short records written for these tests whose
labels follow the contract's labelling guide (docs/contracts.md).
"""

from __future__ import annotations

import subprocess
import sys
from dataclasses import replace

import pandas as pd
import pytest

from evidence import design_rules, designs
from evidence.errors import DataError

from cli_runner import run_cli
from conftest import DATA, FIXTURES, SNAPSHOT

# Floors the classifier has to reach on the snapshot (the thresholds for design and
# condition; comparator: a floor below what it reaches, reported in the test output).
FLOORS = {"design": 0.95, "condition": 0.90, "comparator": 0.80}
NCBI_FILES = sorted((FIXTURES / "ncbi").glob("pubmed*.xml"))


@pytest.fixture(scope="module")
def snapshot_pred():
    return designs.classify_xml(SNAPSHOT / "records.xml", columns="detail")


@pytest.fixture(scope="module")
def labels():
    return designs.load_labels(DATA / "labels.csv")


def _report(capsys, title, result):
    # the accuracy table is shown with `pytest -v` (and is in the junit XML through
    # record_property); a plain run stays quiet unless a label is missed
    if capsys.request.config.get_verbosity() < 1 and not len(result.mismatches):
        return
    with capsys.disabled():
        print(f"\n{title}\n{result.summary_frame().to_string()}")
        if len(result.mismatches):
            print(result.mismatches.to_string(index=False))


# ---------------------------------------------------------------------------------- accuracy


def test_snapshot_accuracy_per_field(snapshot_pred, labels, capsys, record_property):
    result = designs.accuracy(snapshot_pred, labels)
    _report(capsys, "classifier vs data/labels.csv", result)
    for field in designs.LABEL_FIELDS:
        record_property(f"accuracy_{field}", getattr(result, field))
    assert result.n == len(labels) == 45
    assert result.missing == ()
    failed = {f: getattr(result, f) for f, floor in FLOORS.items() if getattr(result, f) < floor}
    assert not failed, f"below the floor: {failed}\n{result.mismatches.to_string(index=False)}"


def test_confusion_tables_agree_with_accuracy(snapshot_pred, labels):
    result = designs.accuracy(snapshot_pred, labels)
    for field in ("design", "condition"):
        table = designs.confusion(snapshot_pred, labels, field)
        assert list(table.index) == list(designs._VOCAB[field]) == list(table.columns)
        assert table.to_numpy().sum() == len(labels)
        assert int(pd.Series(table.to_numpy().diagonal()).sum()) == result.correct(field)
        # row sums are the label counts
        assert table.sum(axis=1).to_dict() == {
            v: int((labels[field] == v).sum()) for v in designs._VOCAB[field]}
    comp = designs.confusion(snapshot_pred, labels, "comparator")
    assert list(comp.index)[-1] == "(empty)"
    assert comp.loc["(empty)"].sum() == int((labels["comparator"] == "").sum())


def test_biopython_fixture_records(capsys):
    pred = pd.concat([designs.classify_xml(p) for p in NCBI_FILES], ignore_index=True)
    labels = designs.load_labels(FIXTURES / "ncbi" / "labels.csv")
    assert sorted(pred["pmid"]) == sorted(labels["pmid"])  # every record labelled, once
    result = designs.accuracy(pred, labels)
    _report(capsys, "classifier vs tests/fixtures/ncbi/labels.csv", result)
    assert result.condition == 1.0  # none is about a target condition
    assert result.design >= 7 / 8
    assert (pred["comparator"] == "").all()  # none is a trial


# ---------------------------------------------------------------------------------- output shape


def test_classify_output_follows_the_contract(snapshot_pred):
    plain = designs.classify_xml(SNAPSHOT / "records.xml")
    assert list(plain.columns) == ["pmid", "design", "condition", "comparator", "rule"]
    assert plain["pmid"].tolist() == snapshot_pred["pmid"].tolist()
    assert plain["pmid"].is_unique and len(plain) == 45
    assert set(plain["design"]) <= set(designs.DESIGNS)
    assert set(plain["condition"]) <= set(designs.CONDITIONS)
    assert set(plain["comparator"]) <= set(designs.COMPARATORS) | {""}
    assert set(plain["rule"]) <= {r.name for r in design_rules.DESIGN_RULES}
    trial = plain["design"].isin(designs.TRIAL_DESIGNS)
    assert (plain.loc[~trial, "comparator"] == "").all()
    # only review protocols among trial designs go without a comparator
    blank = snapshot_pred[trial & (snapshot_pred["comparator"] == "")]
    assert (blank["comparator_rule"] == "review_protocol").all()
    assert (blank["design"] == "protocol").all()


def test_classify_checks_its_input():
    with pytest.raises(DataError, match="'abstract'"):
        designs.classify(pd.DataFrame({"pmid": ["1"], "title": ["x"]}))
    with pytest.raises(ValueError, match="columns must be one of 'contract', 'detail'; got 'all'"):
        designs.classify(pd.DataFrame({"pmid": ["1"], "title": ["x"], "abstract": [""]}),
                         columns="all")


def test_classify_record_takes_a_plain_mapping():
    got = designs.classify_record({"title": "Acupuncture for whiplash: a randomised sham-"
                                            "controlled trial", "abstract": None})
    assert (got.design, got.condition, got.comparator) == ("rct", "neck_pain", "sham")
    assert got.pmid == "" and got.rule == "randomised"


def test_import_has_no_plotting_side_effects():
    code = ("import sys, evidence, evidence.designs, evidence.screening; "
            "print('matplotlib' in sys.modules, 'seaborn' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False"]


# ---------------------------------------------------------------------------------- the rules


def test_rules_are_well_formed():
    designs.check_rules()
    names = [r.name for r in design_rules.DESIGN_RULES + design_rules.CONDITION_RULES]
    assert len(names) == len(set(names))
    assert all(r.source for r in design_rules.DESIGN_RULES + design_rules.CONDITION_RULES)


def test_rule_check_catches_a_bad_rule(monkeypatch):
    bad = replace(design_rules.DESIGN_RULES[0], label="cohort")
    monkeypatch.setattr(design_rules, "DESIGN_RULES", (bad,) + design_rules.DESIGN_RULES[1:])
    with pytest.raises(DataError, match="gives 'cohort'"):
        designs.check_rules()
    monkeypatch.undo()
    ghost = replace(design_rules.CONDITION_RULES[0], all_of=("no_such_cue@title",))
    monkeypatch.setattr(design_rules, "CONDITION_RULES",
                        (ghost,) + design_rules.CONDITION_RULES[1:])
    with pytest.raises(DataError, match="names no cue"):
        designs.check_rules()


def _rec(title, abstract="", pt="Journal Article", mesh="", keywords=""):
    return {"pmid": "0", "title": title, "abstract": abstract, "publication_types": pt,
            "mesh_terms": mesh, "keywords": keywords}


# New records written for these tests; expected labels from the contract and its labelling guide.
DESIGN_CASES = [
    ("protocol_pt", _rec("Acupuncture for chronic neck pain", "Patients will be randomly assigned "
                         "to acupuncture or sham acupuncture.", pt="Clinical Trial Protocol"),
     "protocol"),
    ("protocol_title", _rec("Electroacupuncture for episodic tension-type headache: study "
                            "protocol for a randomised controlled trial"), "protocol"),
    ("review_protocol", _rec("Acupuncture for whiplash: a protocol for a systematic review",
                             "Five databases will be searched from inception."), "protocol"),
    ("sr_of_rcts", _rec("Needling for neck pain: a systematic review of randomised controlled "
                        "trials", "We included 12 randomized trials."), "systematic_review"),
    ("ipd_ma", _rec("Acupuncture for chronic musculoskeletal pain: an individual participant "
                    "data meta-analysis"), "systematic_review"),
    ("search_methods", _rec("Acupuncture in headache care", "METHODS: MEDLINE, Embase and CENTRAL "
                            "were searched to 2020 for randomised trials."), "systematic_review"),
    ("economic_eval", _rec("Costs of acupuncture for neck pain", "DESIGN: Cost-utility analysis "
                           "alongside a randomised trial in primary care."), "rct"),
    ("secondary_analysis", _rec("Expectations and outcome of acupuncture", "This is a secondary "
                                "analysis of a randomized controlled trial of 300 patients."),
     "rct"),
    ("randomly_assigned", _rec("Acupuncture and neck pain in office workers", "Sixty workers were "
                               "randomly allocated to needling or advice."), "rct"),
    ("non_randomised", _rec("Acupuncture for headache: a non-randomised controlled trial"),
     "non_randomised_trial"),
    ("results_with_protocol_word", _rec("Acupuncture for neck pain in nurses", "Nurses were "
                                        "randomly assigned to needling according to our protocol "
                                        "or to advice."), "rct"),
    ("call_for_trials", _rec("Outcomes of acupuncture in 800 patients", "METHODS: We followed a "
                             "cohort of 800 patients.\n\nCONCLUSIONS: Randomised trials are "
                             "needed."), "observational"),
    ("earlier_trials", _rec("Acupuncture in a pain clinic", "Previous randomized trials have shown "
                            "benefit. We followed a cohort of 300 patients for a year."),
     "observational"),
    ("case_calls_for_trials", _rec("Needling and a painful shoulder", "A 62-year-old man was "
                                   "treated with acupuncture. Randomized trials are warranted."),
     "case_report"),
    ("adverse_event_survey", _rec("Adverse events after acupuncture: a prospective survey of 9000 "
                                  "treatments in routine practice"), "observational"),
    ("cohort", _rec("Outcomes of acupuncture in general practice", "We followed a cohort of 2000 "
                    "patients for one year."), "observational"),
    ("case_report_pt", _rec("Pneumothorax after needling", pt="Journal Article; Case Reports"),
     "case_report"),
    ("case_report_text", _rec("Bilateral pneumothorax after needling of the shoulder",
                              "A 51-year-old woman presented with dyspnoea."), "case_report"),
    ("guideline_pt", _rec("Management of headache in adults", pt="Practice Guideline"),
     "guideline"),
    ("animal_study", _rec("Electroacupuncture reduces inflammatory pain in rats"), "mechanistic"),
    ("animal_mesh", _rec("Needling and spinal cytokines", "Twelve animals were studied.",
                         mesh="Animals; Cytokines; Spinal Cord"), "mechanistic"),
    ("imaging", _rec("Acupuncture modulates resting-state brain networks",
                     "We acquired fMRI scans before and after needling."), "mechanistic"),
    ("mechanism_review", _rec("How does acupuncture relieve pain?", "In this review we summarise "
                              "the opioid mechanisms.", pt="Journal Article; Review"),
     "narrative_review"),
    ("nothing", _rec("Acupuncture: a personal view"), "other"),
]


@pytest.mark.parametrize("record, expected", [c[1:] for c in DESIGN_CASES],
                         ids=[c[0] for c in DESIGN_CASES])
def test_design_rules_on_new_records(record, expected):
    assert designs.classify_record(record).design == expected


CONDITION_CASES = [
    ("tth", _rec("Needling for chronic tension-type headache"), "tension_type_headache"),
    ("whiplash", _rec("Acupuncture after whiplash injury"), "neck_pain"),
    ("neck_shoulder", _rec("Needling for neck and shoulder pain in nurses"), "neck_pain"),
    ("post_surgery", _rec("Pain after neck dissection for cancer: acupuncture"), "neck_pain"),
    ("both", _rec("Acupuncture for tension-type headache and chronic neck pain"), "both"),
    ("neck_and_back", _rec("Acupuncture for neck pain and low back pain"), "chronic_pain"),
    ("general", _rec("Acupuncture for chronic pain in primary care"), "chronic_pain"),
    ("mostly_migraine", _rec("Acupuncture for chronic headache", "Patients had chronic headache, "
                             "mostly migraine."), "other"),
    ("headache_tth_only", _rec("Acupuncture for chronic headache", "All patients had chronic "
                               "tension-type headache."), "tension_type_headache"),
    ("knee", _rec("Acupuncture for knee osteoarthritis"), "other"),
    ("safety_survey", _rec("Safety of acupuncture: adverse events in 30 000 patients"), "other"),
    ("mechanism_review", _rec("Acupuncture and endorphins", "Opioid peptides mediate the effect in "
                              "chronic pain and low back pain."), "other"),
]


@pytest.mark.parametrize("record, expected", [c[1:] for c in CONDITION_CASES],
                         ids=[c[0] for c in CONDITION_CASES])
def test_condition_rules_on_new_records(record, expected):
    assert designs.classify_record(record).condition == expected


COMPARATOR_CASES = [
    ("sham", "Patients were randomised to acupuncture or non-penetrating sham needles.", "sham"),
    ("waiting_list", "Patients were randomised to acupuncture or a waiting list.", "usual_care"),
    ("examples_ignored", "Patients were randomised to acupuncture versus usual care (eg, "
                         "physiotherapy and analgesics).", "usual_care"),
    ("active", "Patients were randomised to acupuncture or massage.", "active"),
    ("dose", "Patients were randomised to two different doses of acupuncture.", "active"),
    ("mixed", "Patients were randomised to acupuncture, minimal acupuncture or a waiting list.",
     "mixed"),
    ("unrecognised", "Patients were randomised to acupuncture or ibuprofen; the control group "
                     "took tablets.", "active"),
]


@pytest.mark.parametrize("abstract, expected", [c[1:] for c in COMPARATOR_CASES],
                         ids=[c[0] for c in COMPARATOR_CASES])
def test_comparator_rules_on_new_trials(abstract, expected):
    got = designs.classify_record(_rec("Acupuncture for neck pain", abstract))
    assert got.design == "rct"
    assert got.comparator == expected


def test_single_arm_trial_has_no_comparator_and_reviews_have_none():
    single = designs.classify_record(_rec("Acupuncture for neck pain: a single-arm pilot trial",
                                          "All patients received eight sessions."))
    assert (single.design, single.comparator) == ("non_randomised_trial", "none")
    review = designs.classify_record(_rec("Sham-controlled trials of acupuncture for neck pain: a "
                                          "systematic review"))
    assert (review.design, review.comparator) == ("systematic_review", "")


def test_studies_humans():
    assert not designs.studies_humans(_rec("Needling in rats", "Rats were injected."))
    assert not designs.studies_humans(_rec("x", mesh="Animals; Spinal Cord"))
    assert designs.studies_humans(_rec("x", mesh="Animals; Humans"))
    assert designs.studies_humans(_rec("Acupuncture in patients and rats", "Patients and rats."))
    assert designs.studies_humans(_rec("No abstract at all"))


# ---------------------------------------------------------------------------------- agreement


def test_accuracy_and_confusion_on_small_frames():
    labels = pd.DataFrame({"pmid": ["1", "2", "3", "4"],
                           "design": ["rct", "rct", "systematic_review", "other"],
                           "condition": ["neck_pain", "both", "other", "other"],
                           "comparator": ["sham", "mixed", "", ""]})
    pred = pd.DataFrame({"pmid": ["4", "3", "2", "1", "9"],
                         "design": ["other", "narrative_review", "rct", "rct", "rct"],
                         "condition": ["other", "other", "neck_pain", "neck_pain", "other"],
                         "comparator": ["", "", "sham", "sham", "none"]})
    result = designs.accuracy(pred, labels)
    assert result.n == 4 and result.missing == ()
    assert result.design == 0.75 and result.condition == 0.75
    assert result.n_comparator == 2 and result.comparator == 0.5  # both-empty rows left out
    frame = result.summary_frame()
    assert frame.loc["design", "correct"] == 3 and frame.loc["comparator", "n"] == 2
    assert set(map(tuple, result.mismatches[["pmid", "field"]].to_numpy())) == {
        ("3", "design"), ("2", "condition"), ("2", "comparator")}
    table = designs.confusion(pred, labels, "design")
    assert table.loc["systematic_review", "narrative_review"] == 1
    assert table.loc["rct", "rct"] == 2
    with pytest.raises(ValueError, match="field must be one of"):
        designs.confusion(pred, labels, "year")
    missing = designs.accuracy(pred[pred["pmid"] != "1"], labels)
    assert missing.missing == ("1",) and missing.n == 3


def test_load_labels_rejects_bad_rows(tmp_path):
    path = tmp_path / "labels.csv"
    path.write_text("pmid,design,condition,comparator,reason\n1,rct,neck_pain,sham,x\n"
                    "2,cohort,neck_pain,,x\n", encoding="utf-8")
    with pytest.raises(DataError, match=r"line 3 \(PMID 2\): design 'cohort'"):
        designs.load_labels(path)
    path.write_text("pmid,design,condition,comparator\n1,systematic_review,other,sham\n",
                    encoding="utf-8")
    with pytest.raises(DataError, match="only rct, non_randomised_trial, protocol carry one"):
        designs.load_labels(path)
    path.write_text("pmid,design,condition\n1,rct,other\n1,rct,other\n", encoding="utf-8")
    with pytest.raises(DataError, match="labelled more than once"):
        designs.load_labels(path)
    with pytest.raises(DataError, match="no such labels file"):
        designs.load_labels(tmp_path / "absent.csv")


def test_classify_cli_contract_columns_and_vocabularies():
    import csv
    import io

    out = run_cli("classify", "--xml", str(SNAPSHOT / "records.xml"), check=True).stdout
    rows = list(csv.DictReader(io.StringIO(out)))
    assert list(rows[0]) == ["pmid", "design", "condition", "comparator", "rule"]
    assert len(rows) == 45 and all(r["rule"] for r in rows)
    assert {r["design"] for r in rows} <= {"systematic_review", "rct", "non_randomised_trial", "protocol",
                                           "observational", "narrative_review", "mechanistic", "case_report",
                                           "guideline", "other"}
    trials = {"rct", "non_randomised_trial", "protocol"}
    for r in rows:
        if r["design"] not in trials:
            assert r["comparator"] == "", r
    bad = run_cli("classify", "--xml", "missing.xml")
    assert bad.returncode == 2 and "missing.xml: no such file" in bad.stderr
