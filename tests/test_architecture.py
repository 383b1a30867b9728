"""Dependencies flow one way (issue 11, item 1).

The import graph of ``evidence/`` -- module-level and function-level imports,
read with :mod:`ast` -- has no cycle, and no domain module imports
``evidence.settings`` or ``evidence.review``: only ``review`` reads the settings
and the data files and chains the steps.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "evidence"
MODULES = {p.stem for p in PACKAGE.glob("*.py")}

#: Modules that take data as arguments (the brief's list); none may import settings or review.
DOMAIN = ("claims", "analyses", "grade", "designs", "screening", "extraction", "citecheck",
          "report", "plots", "cite", "meta", "effects", "miner", "records", "studies", "rob",
          "texts", "vocab", "design_rules", "frames", "errors", "_csv", "_xml", "statements",
          "mids", "grade_domains", "claimsfile", "verdict_rules", "meta_input", "meta_model",
          "meta_results", "meta_mh", "texts_ui", "texts_claims", "texts_render", "texts_statements",
          "texts_report", "texts_figures", "citecheck_parse", "citecheck_match", "citecheck_results",
          "cite_fields", "cite_vancouver", "cite_export", "miner_lexicon", "miner_rules", "miner_gold",
          "pooled", "grade_results", "grade_rows", "plots_map", "plots_prisma", "pubmed_parse",
          "pubmed_transport")


def _targets(node: ast.AST, module: str) -> set[str]:
    """The evidence modules an import statement names (relative or absolute)."""
    names: set[str] = set()
    if isinstance(node, ast.ImportFrom):
        if node.level == 1 or (node.level == 0 and (node.module or "").split(".")[0] == "evidence"):
            dotted = (node.module or "") if node.level == 1 else (node.module or "")[len("evidence"):].lstrip(".")
            if dotted:
                names.add(dotted.split(".")[0])
            else:  # from . import a, b  /  from evidence import a
                names.update(alias.name for alias in node.names)
    elif isinstance(node, ast.Import):
        for alias in node.names:
            parts = alias.name.split(".")
            if parts[0] == "evidence" and len(parts) > 1:
                names.add(parts[1])
    return {n for n in names if n in MODULES and n != module}


def import_graph(package: Path = PACKAGE) -> dict[str, set[str]]:
    """{module: modules it imports anywhere in its source (top, function, TYPE_CHECKING)}."""
    graph = {}
    for path in sorted(package.glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        graph[path.stem] = set().union(*([_targets(n, path.stem) for n in ast.walk(tree)
                                          if isinstance(n, (ast.Import, ast.ImportFrom))] or [set()]))
    return graph


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """A cycle as a list of modules (first == last), or None (depth-first search)."""
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                return stack[stack.index(nxt):] + [nxt]
            if nxt not in state:
                found = visit(nxt)
                if found:
                    return found
        stack.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state:
            found = visit(node)
            if found:
                return found
    return None


def test_the_checker_finds_a_cycle_and_a_function_level_import(tmp_path):
    # the test can fail: a cycle through an import inside a function is found
    (tmp_path / "a.py").write_text("from . import b\n")
    (tmp_path / "b.py").write_text("def f():\n    from .a import x\n    return x\n")
    (tmp_path / "c.py").write_text("import evidence.a\n")
    global MODULES
    saved, MODULES = MODULES, {"a", "b", "c"}
    try:
        graph = import_graph(tmp_path)
    finally:
        MODULES = saved
    assert graph == {"a": {"b"}, "b": {"a"}, "c": {"a"}}
    assert find_cycle(graph) in (["a", "b", "a"], ["b", "a", "b"])
    assert find_cycle({"a": {"b"}, "b": set()}) is None


@pytest.fixture(scope="module")
def graph() -> dict[str, set[str]]:
    """The package's import graph, parsed once for the tests below (0.7 s a parse)."""
    return import_graph()


def test_the_import_graph_of_evidence_has_no_cycle(graph):
    assert {"review", "claims", "run", "cli"} <= set(graph)
    assert find_cycle(graph) is None


@pytest.mark.parametrize("module", [m for m in DOMAIN if m in MODULES])
def test_domain_modules_never_import_settings_or_review(module, graph):
    assert not graph[module] & {"settings", "review", "run", "cli"}


def test_only_review_cli_run_and_the_client_read_the_settings(graph):
    importers = {m for m, deps in graph.items() if "settings" in deps}
    # pubmed is the E-utilities client: it is built from a Settings (mode, e-mail, key)
    assert importers == {"review", "cli", "run", "pubmed"}


def test_only_the_pubmed_client_opens_requests(graph):
    # evidence.pubmed is the one door to NCBI: its transport (timeouts, redirects, rate limit)
    # is split out but used by the client only, never by another module
    assert {m for m, deps in graph.items() if "pubmed_transport" in deps} == {"pubmed"}
