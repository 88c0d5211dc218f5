"""The English catalog: every string the code and templates mark for translation is in it, translated."""

from __future__ import annotations

import re
from pathlib import Path

from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_keywords, parse_mapping_cfg
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
CATALOG = ROOT / "translations" / "en" / "LC_MESSAGES" / "messages.po"
PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]|\{(\w+)\}")
CJK = re.compile(r"[\u3400-\u9fff\u3000-\u303f\uff00-\uffef]")


def _catalog():
    with CATALOG.open("rb") as fh:
        return read_po(fh)


def _keywords() -> dict:
    """pybabel's keywords plus the ones ``make translations`` gives it (BABEL_KEYWORDS in the Makefile)."""
    line = next(s for s in (ROOT / "Makefile").read_text().splitlines() if s.startswith("BABEL_KEYWORDS"))
    return {**DEFAULT_KEYWORDS, **parse_keywords(line.split(":=", 1)[1].split())}


def _marked() -> set[tuple[str | None, str]]:
    """(context, msgid) of every string marked in workflow/, services/, web/ and templates/."""
    with (ROOT / "web" / "babel.cfg").open() as fh:
        method_map, options_map = parse_mapping_cfg(fh)
    found = set()
    for _file, _line, message, _comments, context in extract_from_dir(
        str(ROOT), method_map, options_map, keywords=_keywords()
    ):
        found.add((context, message[0] if isinstance(message, tuple) else message))
    return found


def _key(m) -> tuple[str | None, str]:
    return (m.context, m.id[0] if isinstance(m.id, tuple) else m.id)


def test_every_marked_string_is_in_the_catalog():
    """Including every _() and say() of workflow/ and services/; 'make translations' adds the new ones."""
    in_catalog = {_key(m) for m in _catalog() if m.id}
    marked = _marked()
    assert (None, "没有这个操作。") in marked  # a say() of workflow/engine.py
    assert (None, "争议金额 ≥ %(amount)s 元") in marked  # a _() of workflow/triage.py
    assert ("state", "不予受理") in marked and ("one", "社区") in marked  # _p() and lazy_pgettext()
    missing = sorted(marked - in_catalog, key=str)
    assert not missing, f"not in {CATALOG.name} (run 'make translations', then translate): {missing}"
    unused = sorted(in_catalog - marked, key=str)
    assert not unused, f"in the catalog but marked nowhere (run 'make translations'): {unused}"


def _entries() -> list[tuple[tuple[str | None, str], tuple[str, ...], tuple[str, ...], set[str]]]:
    """(key, msgids, translations, flags) of every entry (a plural has two msgids and two translations)."""
    out = []
    for m in _catalog():
        if m.id:
            ids = m.id if isinstance(m.id, tuple) else (m.id,)
            strings = m.string if isinstance(m.string, tuple) else (m.string,)
            out.append((_key(m), ids, strings, set(m.flags)))
    return out


def test_every_entry_is_translated_into_english():
    untranslated = [
        key
        for key, _ids, strings, flags in _entries()
        if not all(strings) or "fuzzy" in flags or any(CJK.search(s) for s in strings)
    ]
    assert not untranslated, f"entries without an English translation: {untranslated}"


def test_translations_keep_their_placeholders():
    """A translation fills in the same values as its Chinese text (else formatting fails or drops one)."""
    wrong = [
        (ids[0], s)
        for _key_, ids, strings, _flags in _entries()
        for s in strings
        if set(PLACEHOLDER.findall(s)) != set(PLACEHOLDER.findall(ids[0]))
    ]
    assert not wrong, wrong
