"""One vocabulary (issue 11, item 2): the codes live in evidence/vocab.py only, and they are
the ones docs/contracts.md names."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from evidence import vocab

ROOT = Path(__file__).resolve().parent.parent
CONTRACTS = (ROOT / "docs" / "contracts.md").read_text(encoding="utf-8")


def _codes_after(marker: str, *, until: str) -> tuple[str, ...]:
    """The backticked codes between ``marker`` and ``until`` in docs/contracts.md."""
    start = CONTRACTS.index(marker) + len(marker)
    text = CONTRACTS[start:CONTRACTS.index(until, start)]
    return tuple(re.findall(r"`([A-Za-z_]+)`", text))


def test_design_condition_comparator_match_the_contract():
    assert vocab.DESIGNS == _codes_after("- `design` is exactly one of:", until="- `condition`")
    assert vocab.CONDITIONS == _codes_after("- `condition` is exactly one of:", until="- `comparator`")[:5]
    comparators = _codes_after("- `comparator` (trials", until="- Labelling guide")
    assert vocab.COMPARATORS == tuple(dict.fromkeys(c for c in comparators if c in vocab.COMPARATORS))
    assert set(comparators) - set(vocab.COMPARATORS) == set()


def test_verdicts_certainties_and_measures_match_the_contract():
    assert vocab.VERDICTS == _codes_after("- `verdict` is exactly one of:", until="- `certainty`")
    assert vocab.CERTAINTIES == _codes_after("- `certainty` is", until="`null`")
    assert vocab.MINED_MEASURES == _codes_after("`measure` (one of", until="`value`")
    meta = _codes_after("- `M` is", until="- `T` is")
    assert set(vocab.POOLING_MEASURES) <= set(meta)


def _tuple_literals(path: Path) -> list[tuple[str, tuple]]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Tuple):
            try:
                value = ast.literal_eval(node.value)
            except ValueError:
                continue
            names = [t.id for t in node.targets if isinstance(t, ast.Name)]
            if all(isinstance(v, str) for v in value):
                found += [(name, value) for name in names]
    return found


@pytest.mark.parametrize("path", sorted(p for p in (ROOT / "evidence").glob("*.py")
                                        if p.name != "vocab.py"), ids=lambda p: p.stem)
def test_no_module_keeps_its_own_copy_of_a_vocabulary(path):
    shared = {getattr(vocab, name): name for name in vocab.__all__}
    copies = [(name, shared[value]) for name, value in _tuple_literals(path)
              if value in shared and len(value) > 2]
    assert not copies, f"{path.name} copies evidence.vocab: {copies}"


def test_one_serialisation_name():
    """Results, verdicts, SoF rows, classifications, statements and snapshot entries serialise with ``to_dict``."""
    other = {}
    for path in sorted((ROOT / "evidence").glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef) and node.name in ("as_dict", "asdict", "as_json", "to_json",
                                                                  "as_record", "to_record"):
                other.setdefault(path.stem, []).append(node.name)
    assert other == {}


def test_claim_labels_and_report_labels_have_one_source():
    from evidence import texts

    assert texts.CLAIM_VERDICT_LABELS is texts.UI_LABELS["verdict"]
    assert texts.CLAIM_CERTAINTY_LABELS is texts.UI_LABELS["certainty"]
    for kind in ("condition", "outcome", "design"):
        for lang in texts.CLAIM_LANGS:
            claim, ui = getattr(texts, f"CLAIM_{kind.upper()}_LABELS")[lang], texts.UI_LABELS[kind][lang]
            # every code the report labels, a sentence labels too (its own wording or the report's)
            assert set(ui) <= set(claim)
    texts.UI_LABELS["verdict"]["en"]["overstated"], saved = "OVER", texts.UI_LABELS["verdict"]["en"]["overstated"]
    try:
        assert texts.claim_label("verdict", "overstated", "en") == "OVER"  # one edit changes both
    finally:
        texts.UI_LABELS["verdict"]["en"]["overstated"] = saved
    assert texts.claim_label("outcome", "headache_days", "nl") == texts.ui_label("outcome", "headache_days", "nl")
