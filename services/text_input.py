"""What text LO Hub accepts from outside: the rule behind the one input boundary.

Refused everywhere: lone surrogates (no UTF-8 encoding exists for them, so neither database nor
the JSON answer can hold them), NUL (PostgreSQL cannot store it in text; SQLite can, so the two
would disagree), the other C0 controls, DEL and the C1 controls.

Two kinds of text, told apart by the name of the input field or argument that holds it:

- **prose** (``PROSE_NAMES``, with or without a ``Th``/``En`` suffix: ``abstractTh``, ``note``,
  and every string inside a ``JSON`` value such as form answers): tab, line feed and carriage
  return are allowed, and so are bidirectional controls, which right-to-left quotations need;
- **names** (everything else: names, titles, usernames, codes, ids, tokens, search words, file
  names): one line, no tab, and no bidirectional overrides or isolates (U+202A–U+202E,
  U+2066–U+2069), which can make a name display as another (``exe.txt`` shown as ``txt.exe``).
"""

import re
from collections.abc import Iterator
from typing import Any

PROSE_NAMES = frozenset(
    {
        "abstract",
        "agenda",
        "comment",
        "decisions",
        "description",
        "evaluation",
        "narrative",
        "note",
        "objective",
        "problems",
        "reason",
        "results",
        "suggestions",
        "target",
        "template",
        "text",
    }
)

# What each kind refuses, in one character class each: one search per string.
_REFUSED_IN_PROSE = re.compile("[\ud800-\udfff\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_REFUSED_IN_NAMES = re.compile("[\ud800-\udfff\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def is_prose(name: str) -> bool:
    """Whether the field or argument called ``name`` holds prose (see the module's rule)."""
    for suffix in ("Th", "En"):
        if name.endswith(suffix) and name != suffix:
            name = name.removesuffix(suffix)
            break
    return name in PROSE_NAMES


def text_problem(text: str, *, prose: bool) -> str | None:
    """The message key of what is wrong with ``text``, or None when it is acceptable."""
    found = (_REFUSED_IN_PROSE if prose else _REFUSED_IN_NAMES).search(text)
    if found is None:
        return None
    character = found.group()
    if "\ud800" <= character <= "\udfff":
        return "text_lone_surrogate"
    if character in "\t\n\r":
        return "text_line_break"
    if character >= "\u202a":
        return "text_bidi_control"
    return "text_control_character"


def value_problems(
    value: Any, path: tuple[str, ...], *, prose: bool
) -> Iterator[tuple[tuple[str, ...], str]]:
    """(path, message key) of each unacceptable string in a decoded JSON-like ``value``
    (strings, lists, objects), as deep as it nests, without recursion. Keys of objects are
    checked as names."""
    pending: list[tuple[Any, tuple[str, ...]]] = [(value, path)]
    while pending:
        item, where = pending.pop()
        if isinstance(item, str):
            problem = text_problem(item, prose=prose)
            if problem:
                yield where, problem
        elif isinstance(item, dict):
            for key, inner in item.items():
                key_problem = text_problem(str(key), prose=False)
                if key_problem:
                    yield where, key_problem
                else:
                    pending.append((inner, (*where, str(key))))
        elif isinstance(item, list | tuple):
            pending.extend((inner, (*where, str(index))) for index, inner in enumerate(item))
