"""A safe-regex rule for the cues authors write in ``data/claims.yaml``.

Cues are regular expressions matched against every record's title and abstract. Python's
``re`` backtracks, so a pattern such as ``(\\w+\\s?)+[$]`` takes exponential time on an
ordinary abstract ("catastrophic backtracking") and no signal can stop it inside the C
matcher. Rather than a time budget, a cue must follow a rule that keeps every match
polynomial (at worst quadratic in the text's length) and is checked when the file is loaded:

1. no quantifier inside a group that is itself repeated (``(a+)+``, ``(\\w+\\s?)*``,
   ``(ab?){2,}``): nested quantifiers;
2. no alternation inside a repeated group (``(a|ab)+``): ambiguous alternation;
3. at most :data:`MAX_WIDE` quantifier whose maximum exceeds 1 (``*``, ``+``, ``{2,5}``);
   ``?`` is free, but at most :data:`MAX_QUANTIFIERS` quantifiers in all;
4. no backreferences (``\\1``, ``(?P=name)``, conditional groups);
5. at most :data:`MAX_LENGTH` characters.

The review's own cues are words with ``?``, ``[- ]`` and ``(a|b)`` groups: all pass.

References
----------
.. [1] OWASP Foundation. Regular expression Denial of Service - ReDoS.
   https://owasp.org/www-community/attacks/Regular_expression_Denial_of_Service_-_ReDoS
.. [2] Davis JC, Coghlan CA, Servant F, Lee D. The impact of regular expression denial of
   service (ReDoS) in practice. ESEC/FSE 2018:246-56 (nested quantifiers and ambiguous
   alternation under a quantifier are the two causes of super-linear backtracking).
"""

from __future__ import annotations

import re

try:  # Python 3.11+
    from re import _constants as _c
    from re import _parser as _p
except ImportError:  # pragma: no cover - Python 3.10
    import sre_constants as _c  # type: ignore[no-redef]
    import sre_parse as _p  # type: ignore[no-redef]

__all__ = ["MAX_LENGTH", "MAX_QUANTIFIERS", "MAX_WIDE", "regex_problem"]

#: Longest cue, in characters.
MAX_LENGTH = 200
#: Quantifiers (of any kind) in one cue.
MAX_QUANTIFIERS = 8
#: Quantifiers with a maximum above 1 (``*``, ``+``, ``{m,n}``) in one cue.
MAX_WIDE = 1

_REPEATS = {_c.MAX_REPEAT, _c.MIN_REPEAT} | ({_c.POSSESSIVE_REPEAT} if hasattr(_c, "POSSESSIVE_REPEAT") else set())
_BACKREFS = {_c.GROUPREF, _c.GROUPREF_EXISTS} | ({_c.GROUPREF_IGNORE} if hasattr(_c, "GROUPREF_IGNORE") else set())


class _Unsafe(Exception):
    pass


def regex_problem(pattern: str) -> str | None:
    """Why ``pattern`` may backtrack catastrophically (the rule above), or None when it is safe.

    Parameters
    ----------
    pattern : str
        A regular expression (Python syntax).

    Returns
    -------
    str or None
        The first problem in words (``"nested quantifier: ..."``), or None. A pattern that
        does not compile gives the compiler's message.
    """
    if not isinstance(pattern, str):
        return f"must be text, got {type(pattern).__name__}"
    if len(pattern) > MAX_LENGTH:
        return f"longer than {MAX_LENGTH} characters"
    try:
        re.compile(pattern)
        tree = _p.parse(pattern)
    except (re.error, RecursionError, OverflowError) as exc:
        return f"not a valid regular expression ({exc})"
    counts = {"all": 0, "wide": 0}
    try:
        _walk(tree, repeated=False, counts=counts)
    except _Unsafe as exc:
        return str(exc)
    if counts["all"] > MAX_QUANTIFIERS:
        return f"more than {MAX_QUANTIFIERS} quantifiers"
    if counts["wide"] > MAX_WIDE:
        return (f"more than {MAX_WIDE} quantifier with a maximum above 1 (*, +, {{m,n}}); "
                "several can make a match take polynomial time in the abstract's length")
    return None


def _walk(items, *, repeated: bool, counts: dict) -> None:
    for op, av in items:
        if op in _REPEATS:
            low, high, body = av
            counts["all"] += 1
            if high > 1:
                counts["wide"] += 1
            if repeated:
                raise _Unsafe("nested quantifier: a quantifier inside a repeated group, e.g. "
                              "(\\w+\\s?)+, can backtrack exponentially; repeat one thing only")
            _walk(body, repeated=high > 1, counts=counts)
        elif op is _c.BRANCH:
            if repeated:
                raise _Unsafe("alternation inside a repeated group, e.g. (a|ab)+, can backtrack "
                              "exponentially; write the alternatives without repeating the group")
            for branch in av[1]:
                _walk(branch, repeated=repeated, counts=counts)
        elif op is _c.SUBPATTERN:
            _walk(av[-1], repeated=repeated, counts=counts)
        elif op in (_c.ASSERT, _c.ASSERT_NOT):
            _walk(av[1], repeated=repeated, counts=counts)
        elif op in _BACKREFS:
            raise _Unsafe("backreferences and conditional groups are not allowed")
        elif getattr(_c, "ATOMIC_GROUP", None) is not None and op is _c.ATOMIC_GROUP:
            _walk(av, repeated=repeated, counts=counts)
