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
