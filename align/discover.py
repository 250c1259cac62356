"""Turn the paths a user gives into input specs: which files make one document.

Rules (deterministic: the same folder always gives the same specs in the same order):

* Folders are walked recursively in sorted order. Hidden files and folders
  (names starting with ``.``) are skipped; everything else is an input, README
  files included: skipping by name would drop a document silently, while a
  stray README shows up in the report as a document without counterpart.
* A manifest, ``pairs.csv`` or ``pairs.toml`` in a folder, names pairs
  explicitly (paths relative to the manifest); see :func:`read_manifest`.
  The files it names are not listed again on their own.
* ``name.<a>.<ext>`` + ``name.<b>.<ext>`` with two language codes (``a.zh.txt``
  + ``a.en.txt``, ``report.de.docx`` + ``report.fr.docx``) form one spec.
* Every other file is its own spec, whatever its extension: files that cannot
  be read (missing, unsupported format, binary) fail later in
  :func:`align.ingest.read_input` with an :class:`~align.errors.InputError`
  naming the file, so nothing is dropped without a message.

``doc_id`` is the file stem without its language suffix (``a.zh.txt`` → ``a``);
when two inputs would get the same id, both use their path relative to the
folder given instead (``sub__a.txt``), so ids stay unique and stable.

This module reads directory listings and manifests; it does not open inputs.
"""

from __future__ import annotations

import csv
import os
import re
from dataclasses import dataclass
from typing import Sequence

from .errors import InputError

try:  # Python 3.11+
    import tomllib
except ModuleNotFoundError:  # pragma: no cover - Python 3.10
    import tomli as tomllib  # type: ignore[no-redef]

MANIFEST_NAMES = ("pairs.csv", "pairs.toml")

# name.<lang>.<ext>: a 2-3 letter language code, optionally with a script or
# region subtag (zh-Hant, pt-BR, zh_TW).
_LANG_SUFFIX = re.compile(r"^(?P<stem>.+)\.(?P<lang>[a-z]{2,3}(?:[-_][A-Za-z0-9]{2,4})?)\.(?P<ext>[A-Za-z0-9]+)$")


@dataclass(frozen=True)
class InputSpec:
    """One document to ingest: one file, or two (or more) files that translate each other.

    ``langs[i]`` is the language declared for ``paths[i]`` by its name or the
    manifest (None: detect it). ``problem``, when set, says why the spec cannot
    be read (e.g. a manifest that is wrong); :func:`align.ingest.read_input`
    raises it as an InputError, so the rest of the batch continues.
    ``manifest`` is the path of the pairs manifest that named the files, if any.
    """

    doc_id: str
    paths: tuple[str, ...]
    langs: tuple[str | None, ...]
    problem: str | None = None
    manifest: str | None = None


def _walk(folder: str) -> list[str]:
    """All non-hidden files under ``folder``, sorted, as paths."""
    out: list[str] = []
    for root, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        out.extend(os.path.join(root, f) for f in sorted(files) if not f.startswith("."))
    return sorted(out)


def _norm_lang(code: str | None) -> str | None:
    if code is None or not str(code).strip():
        return None
    return str(code).strip().replace("_", "-")


def read_manifest(path: str) -> list[tuple[str, str, str | None, str | None, str | None]]:
    """Rows of a pairs manifest as ``(source, target, source_lang, target_lang, doc_id)``.

    ``pairs.csv``: a header row with ``source`` and ``target`` columns and
    optional ``source_lang``, ``target_lang`` and ``doc_id`` columns.
    ``pairs.toml``: ``[[pair]]`` tables with the same keys. Paths are
    relative to the manifest's folder (returned joined to it). Raises
    InputError naming the manifest and the line/pair that is wrong.
    """
    base = os.path.dirname(path)
    rows: list[tuple[str, str, str | None, str | None, str | None]] = []
    try:
        if path.endswith(".toml"):
            with open(path, "rb") as fh:
                data = tomllib.load(fh)
            pairs = data.get("pair")
            if not isinstance(pairs, list) or not pairs:
                raise InputError(path, "no [[pair]] tables found",
                                 'Write one [[pair]] table per pair: source = "a.zh.txt", target = "a.en.txt".')
            for n, item in enumerate(pairs, 1):
                if not isinstance(item, dict) or "source" not in item or "target" not in item:
                    raise InputError(path, f"pair {n} lacks 'source' or 'target'",
                                     "Give both keys in every [[pair]] table.")
                rows.append((os.path.join(base, str(item["source"])), os.path.join(base, str(item["target"])),
                             _norm_lang(item.get("source_lang")), _norm_lang(item.get("target_lang")),
                             item.get("doc_id")))
        else:
            with open(path, encoding="utf-8-sig", newline="") as fh:
                reader = csv.DictReader(fh)
                fields = set(reader.fieldnames or ())
                if not {"source", "target"} <= fields:
                    raise InputError(path, f"header has {sorted(fields)}, expected columns 'source' and 'target'",
                                     "First line: source,target,source_lang,target_lang", line=1)
                for row in reader:
                    src, tgt = (row.get("source") or "").strip(), (row.get("target") or "").strip()
                    if not src or not tgt:
                        raise InputError(path, "row lacks a source or target path",
                                         "Fill both columns or delete the row.", line=reader.line_num)
                    rows.append((os.path.join(base, src), os.path.join(base, tgt),
                                 _norm_lang(row.get("source_lang")), _norm_lang(row.get("target_lang")),
                                 (row.get("doc_id") or "").strip() or None))
    except InputError:
        raise
    except (OSError, UnicodeDecodeError, csv.Error, tomllib.TOMLDecodeError) as exc:
        raise InputError(path, f"cannot read the pairs manifest ({exc})",
                         "Fix the manifest or remove it to pair files by name.") from exc
    return rows


def _base_id(path: str) -> tuple[str, str | None]:
    """(doc_id, declared language) from a file name."""
    name = os.path.basename(path)
    m = _LANG_SUFFIX.match(name)
    if m:
        return m.group("stem"), _norm_lang(m.group("lang"))
    stem, _ = os.path.splitext(name)
    return stem or name, None


_BAD_NAME = ("the file name is not valid UTF-8, so its results could not be named or reported; "
             "rename the file (bytes shown as \\xNN)")


def _escaped_name(path: str) -> str | None:
    """``path`` with its undecodable bytes written as ``\\xNN``, or None when it is valid UTF-8.

    ``os.listdir`` gives such bytes as lone surrogates, which no UTF-8 output
    (task keys, JSON, the report) can hold.
    """
    try:
        path.encode("utf-8")
    except UnicodeEncodeError:
        return path.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    return None


def _relative_id(path: str, root: str | None) -> str:
    rel = os.path.relpath(path, root) if root else path
    return rel.replace(os.sep, "__").lstrip("._") or rel


def discover_inputs(paths: Sequence[str]) -> list[InputSpec]:
    """Expand files and folders into :class:`InputSpec` s (see the module docstring for the rules).

    The result is sorted by ``doc_id``; ids are unique. Paths that do not
    exist become specs with a ``problem`` rather than an exception here.
    """
    # (path, the folder given that contains it, or None for a file given directly)
    singles: list[tuple[str, str | None]] = []
    specs: list[InputSpec] = []
    claimed: set[str] = set()
    for given in paths:
        if os.path.isdir(given):
            files = _walk(given)
            manifests = [f for f in files if os.path.basename(f) in MANIFEST_NAMES]
            for man in manifests:
                claimed.add(os.path.abspath(man))
                try:
                    rows = read_manifest(man)
                except InputError as exc:
                    specs.append(InputSpec(_relative_id(man, given), (man,), (None,), problem=str(exc)))
                    continue
                for src, tgt, sl, tl, doc_id in rows:
                    claimed.update((os.path.abspath(src), os.path.abspath(tgt)))
                    specs.append(InputSpec(doc_id or _base_id(src)[0], (src, tgt), (sl, tl), manifest=man))
            singles.extend((f, given) for f in files)
        elif os.path.exists(given):
            singles.append((given, None))
        else:
            specs.append(InputSpec(_base_id(given)[0], (given,), (None,),
                                   problem="no such file or folder"))
    # group name.<lang>.<ext> files; everything else is its own spec
    groups: dict[tuple[str, str, str], list[tuple[str, str | None, str | None]]] = {}
    seen: set[str] = set()
    for path, root in singles:
        shown = _escaped_name(path)
        if shown is not None:
            specs.append(InputSpec(_base_id(shown)[0], (shown,), (None,), problem=_BAD_NAME))
            continue
        key_path = os.path.abspath(path)
        if key_path in claimed or key_path in seen:
            continue
        seen.add(key_path)
        stem, lang = _base_id(path)
        ext = os.path.splitext(path)[1]
        key = (os.path.dirname(key_path), stem, ext) if lang else (key_path, stem, ext)
        groups.setdefault(key, []).append((path, root, lang))
    for (_, stem, _), members in groups.items():
        langs = [m[2] for m in members]
        if len(members) >= 2 and len(set(langs)) == len(langs):
            specs.append(InputSpec(stem, tuple(m[0] for m in members), tuple(langs)))
        else:
            for path, _, lang in members:
                specs.append(InputSpec(stem, (path,), (lang,)))
    return _unique_ids(specs, {_escaped_name(p) or p: r for p, r in singles})


def _unique_ids(specs: list[InputSpec], roots: dict[str, str | None]) -> list[InputSpec]:
    """Give specs that share a doc_id ids from their relative paths; sort by id."""
    counts: dict[str, int] = {}
    for s in specs:
        counts[s.doc_id] = counts.get(s.doc_id, 0) + 1
    out: list[InputSpec] = []
    for s in specs:
        if counts[s.doc_id] > 1:
            first = s.paths[0]
            rel = _relative_id(first, roots.get(first))
            if len(s.paths) > 1:  # keep the pair's id free of the language suffix
                stem, _ = _base_id(first)
                rel = _relative_id(os.path.join(os.path.dirname(first), stem), roots.get(first))
            s = InputSpec(rel, s.paths, s.langs, s.problem, s.manifest)
        out.append(s)
    out.sort(key=lambda s: (s.doc_id, s.paths))
    # last resort for ids still equal (e.g. the same stem given twice from different roots)
    final: list[InputSpec] = []
    used: dict[str, int] = {}
    for s in out:
        n = used.get(s.doc_id, 0)
        used[s.doc_id] = n + 1
        final.append(s if n == 0 else InputSpec(f"{s.doc_id}~{n + 1}", s.paths, s.langs, s.problem, s.manifest))
    return final
