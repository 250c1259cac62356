"""Luigi tasks: one per stage and per document, each a thin client of :mod:`align`.

Stages of one document::

    IngestUnit → SegmentUnit → EmbedUnit ─┐
                      └───────────────────┴→ AlignDoc → CheckDoc → PublishDoc
    all PublishDoc → RunReport

Every task's output path is named by a key: a hash of the input files'
content and of exactly the settings that stage depends on, so an unchanged
rerun finds every output present and does nothing, and a changed document
re-does only its own tasks. Embeddings live in a cache folder shared between
runs, keyed by content and model. Outputs are written atomically
(:mod:`pipelines.targets`).
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import time
import traceback
from dataclasses import asdict
from typing import TYPE_CHECKING, Any, Callable, Mapping, Sequence

import luigi

from align import __version__
from align.errors import BitextqaError
from align.records import (
    Bead,
    DocResult,
    Finding,
    InputUnit,
    Segment,
    finding_sort_key,
    input_unit_from_dict,
    segment_from_dict,
    to_json_dict,
)
from align.settings import Settings, settings_from_mapping

from . import targets
from .code_version import code_version

if TYPE_CHECKING:  # numpy is imported where arrays are made: a no-op rerun never needs it
    import numpy as np


WORK = ".work"


def memo_key(method: Callable[[Any], str]) -> Callable[[Any], str]:
    """Compute a task's key once per task object (keys are hashes over the whole chain of
    required tasks; Luigi reuses one object per set of parameters)."""
    name = f"_memo_{method.__name__}"

    @functools.wraps(method)
    def wrapper(self: Any) -> str:
        cached = self.__dict__.get(name)
        if cached is None:
            cached = self.__dict__[name] = method(self)
        return cached

    return wrapper


def stage_key(*parts: Any) -> str:
    """A short stable hash of JSON-serialisable parts (names outputs by their inputs)."""
    blob = json.dumps(parts, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()[:16]


def spec_dict(spec: Any, content_hash: str) -> dict[str, Any]:
    """The plain-data form of an :class:`align.discover.InputSpec` plus its files' content hash.

    Tasks take it as a parameter; :func:`input_spec` turns it back.
    """
    return {"doc_id": spec.doc_id, "paths": list(spec.paths), "langs": list(spec.langs),
            "problem": spec.problem, "manifest": spec.manifest, "content_hash": content_hash}


def input_spec(spec: Mapping[str, Any]) -> Any:
    """The :class:`align.discover.InputSpec` described by a :func:`spec_dict` parameter."""
    from align.discover import InputSpec

    return InputSpec(str(spec["doc_id"]), tuple(spec["paths"]), tuple(spec["langs"]),
                     problem=spec.get("problem"), manifest=spec.get("manifest"))


class BitextqaTask(luigi.Task):
    """Common parameters, settings parsing and failure recording."""

    out_dir: str = luigi.Parameter(description="output folder of the run")
    cache_dir: str = luigi.Parameter(description="folder of the embedding cache (shared between runs)")
    settings_json: str = luigi.Parameter(description="the run's Settings as JSON")

    stage = "task"

    @property
    def settings(self) -> Settings:
        """The run's settings (parsed once per task object)."""
        cached = self.__dict__.get("_settings")
        if cached is None:
            cached = settings_from_mapping(json.loads(self.settings_json))
            self.__dict__["_settings"] = cached
        return cached

    def common(self) -> dict[str, str]:
        """The parameters every task passes on to the tasks it requires."""
        return {"out_dir": self.out_dir, "cache_dir": self.cache_dir, "settings_json": self.settings_json}

    def work_path(self, doc_id: str, name: str) -> str:
        """A path in the run's private work folder for one document."""
        return os.path.join(self.out_dir, WORK, "docs", doc_id, name)

    @property
    def doc_label(self) -> str:
        """The document this task works on, for messages."""
        return str(getattr(self, "doc_id", "") or getattr(self, "spec", {}).get("doc_id", ""))

    def on_failure(self, exception: BaseException) -> str:
        """Record why this task failed, for the run summary; return the message Luigi shows."""
        if isinstance(exception, BitextqaError):
            message = str(exception)
            detail = ""
        elif isinstance(exception, OSError):  # an output that cannot be written (disk full, permissions)
            message = (f"cannot write {exception.filename or 'an output'} in {self.stage} "
                       f"({exception.strerror or exception}): check free space and permissions")
            detail = ""
        else:
            message = f"internal error in {self.stage} ({type(exception).__name__}: {exception})"
            detail = traceback.format_exc()
        record = {
            "task_id": self.task_id,
            "stage": self.stage,
            "doc_id": self.doc_label,
            "message": message,
            "error_type": type(exception).__name__,
            "path": getattr(exception, "path", None),
            "line": getattr(exception, "line", None),
            "traceback": detail,
            "output_error": isinstance(exception, OSError),
        }
        try:
            targets.write_json(luigi.LocalTarget(self.error_record_path()), record)
        except OSError:  # the disk that failed the task may not take the record either; the log has it
            pass
        return message

    def error_record_path(self) -> str:
        """Where :meth:`on_failure` records this task's failure (read by the run summary)."""
        return os.path.join(self.out_dir, WORK, "errors", f"{self.task_id}.json")

    def on_success(self) -> None:
        """Drop this task's failure record from an earlier attempt (with a shared scheduler,
        records are not cleared at the start of a run, so they would otherwise accumulate)."""
        try:
            os.remove(self.error_record_path())
        except FileNotFoundError:
            pass


class UnitTask(BitextqaTask):
    """A task over one input unit (one file, or a pair of files)."""

    spec: Mapping[str, Any] = luigi.DictParameter(description="doc_id, paths, langs and content hash of the input")

    @property
    def doc_id(self) -> str:
        return str(self.spec["doc_id"])

    @memo_key
    def unit_key(self) -> str:
        """Key of ingestion and segmentation: content, paths, language pair and release number (not the
        code version: it also names the embeddings in the shared cache, the costly step; see
        :mod:`pipelines.code_version`)."""
        s = self.settings
        return stage_key("unit", __version__, dict(self.spec), s.src_lang, s.tgt_lang)


class IngestUnit(UnitTask):
    """Read and decode the input file(s), detect languages and shape: an InputUnit."""

    stage = "ingest"

    def output(self) -> luigi.LocalTarget:
        return luigi.LocalTarget(self.work_path(self.doc_id, f"unit-{self.unit_key()}.json"))

    def run(self) -> None:
        from align.ingest import read_input

        t0 = time.perf_counter()
        unit = read_input(input_spec(self.spec), self.settings.src_lang, self.settings.tgt_lang)
        record = to_json_dict(unit)
        record["elapsed_s"] = round(time.perf_counter() - t0, 4)
        targets.write_json(self.output(), record)


class SegmentUnit(UnitTask):
    """Split every language version of a unit into sentences with exact offsets."""

    stage = "segment"

    def requires(self) -> IngestUnit:
        return IngestUnit(spec=self.spec, **self.common())

    def output(self) -> luigi.LocalTarget:
        return luigi.LocalTarget(self.work_path(self.doc_id, f"segments-{self.unit_key()}.json"))

    def run(self) -> None:
        from align.segment import segment_document

        t0 = time.perf_counter()
        unit = input_unit_from_dict(targets.read_json(self.input()))
        segments = {doc.lang: [to_json_dict(s) for s in segment_document(doc)] for doc in unit.documents}
        targets.write_json(self.output(), {"segments": segments, "elapsed_s": round(time.perf_counter() - t0, 4)})


def load_unit_and_segments(ingest: luigi.LocalTarget, segs: luigi.LocalTarget) -> tuple[InputUnit, dict[str, list[Segment]]]:
    """Read a unit's ingestion and segmentation outputs."""
    unit = input_unit_from_dict(targets.read_json(ingest))
    raw = targets.read_json(segs)["segments"]
    return unit, {lang: [segment_from_dict(s) for s in items] for lang, items in raw.items()}


class EmbedUnit(UnitTask):
    """Embed every sentence of every language version (cached by content and model)."""

    stage = "embed"

    def requires(self) -> SegmentUnit:
        return SegmentUnit(spec=self.spec, **self.common())

    def output(self) -> luigi.LocalTarget:
        from align.encoders import model_fingerprint, model_slug

        model = self.settings.model
        key = stage_key("embed", self.unit_key(), model, model_fingerprint(model))
        return luigi.LocalTarget(os.path.join(self.cache_dir, "embeddings", model_slug(model), f"{self.doc_id}-{key}.npz"))

    def run(self) -> None:
        from align.encoders import load_encoder
        from align.progress import progress

        t0 = time.perf_counter()
        raw = targets.read_json(self.input())["segments"]
        encoder = load_encoder(self.settings.model)
        import numpy as np

        arrays: dict[str, np.ndarray] = {}
        for lang, items in sorted(raw.items()):
            texts = [s["norm"] for s in items]
            arrays[lang] = encode_with_progress(encoder, texts, f"embed {self.doc_id} [{lang}]", progress)
        arrays["_elapsed_s"] = np.array([time.perf_counter() - t0])
        targets.write_arrays(self.output(), arrays)


def encode_with_progress(encoder: Any, texts: Sequence[str], label: str, progress: Any, chunk: int = 256) -> np.ndarray:
    """Encode ``texts`` in chunks, advancing a progress bar; returns (n, dim) float32."""
    import numpy as np

    parts = []
    with progress(total=len(texts), desc=label, unit="sent") as bar:
        for lo in range(0, len(texts), chunk):
            parts.append(encoder.encode(texts[lo : lo + chunk]))
            bar.update(min(chunk, len(texts) - lo))
    if not parts:
        return np.zeros((0, encoder.dim), dtype=np.float32)
    return np.concatenate(parts).astype(np.float32, copy=False)


class EmbeddingLookup:
    """An ``embed(texts)`` callable that serves known sentences from precomputed vectors.

    Strings not seen before (e.g. concatenations of consecutive sentences the
    aligner considers) are encoded once with the run's encoder, loaded only on
    first need, and remembered.
    """

    def __init__(self, model: str, known: Mapping[str, np.ndarray]) -> None:
        self.model = model
        self.vectors: dict[str, np.ndarray] = dict(known)
        self.encoded = 0

    @classmethod
    def of_sides(cls, model: str, segs: Mapping[str, Sequence[Segment]],
                 vecs: Mapping[str, np.ndarray | None]) -> "EmbeddingLookup":
        """A lookup preloaded with every sentence of both sides (by comparison form)."""
        known: dict[str, np.ndarray] = {}
        for side in ("src", "tgt"):
            if vecs[side] is not None:
                known.update(zip((x.norm for x in segs[side]), vecs[side]))
        return cls(model, known)

    def __call__(self, texts: Sequence[str]) -> np.ndarray:
        import numpy as np

        missing = list(dict.fromkeys(t for t in texts if t not in self.vectors))
        if missing:
            from align.encoders import load_encoder

            vecs = load_encoder(self.model).encode(missing)
            self.vectors.update(zip(missing, vecs))
            self.encoded += len(missing)
        if not texts:
            return np.zeros((0, 0), dtype=np.float32)
        return np.stack([self.vectors[t] for t in texts]).astype(np.float32, copy=False)


class DocTask(BitextqaTask):
    """A task over one output document: one unit with two versions, or two paired units."""

    doc_id: str = luigi.Parameter(description="output document id (folder name under docs/)")
    units: Sequence[Mapping[str, Any]] = luigi.ListParameter(description="one or two unit specs")

    def unit_tasks(self, cls: type) -> list[UnitTask]:
        return [cls(spec=u, **self.common()) for u in self.units]

    def unit_requires(self) -> list[luigi.Task]:
        """The unit-level outputs that :meth:`load` reads."""
        return self.unit_tasks(EmbedUnit) + self.unit_tasks(SegmentUnit) + self.unit_tasks(IngestUnit)

    @memo_key
    def sides_key(self) -> str:
        """Key of everything up to embeddings, over all units of this document, and of the code that
        aligns and checks them (:func:`~pipelines.code_version.code_version`)."""
        s = self.settings
        return stage_key("doc", code_version(), [dict(u) for u in self.units], s.src_lang, s.tgt_lang, s.model)

    def load(self) -> tuple[Any, dict[str, list[Segment]], dict[str, list[Segment]], dict[str, np.ndarray]]:
        """Read the units, their segments and vectors; decide source and target."""
        from align.process import Sides, choose_sides

        ingest = self.unit_tasks(IngestUnit)
        segs = self.unit_tasks(SegmentUnit)
        embeds = self.unit_tasks(EmbedUnit)
        loaded = [load_unit_and_segments(i.output(), s.output()) for i, s in zip(ingest, segs)]
        vectors = [targets.read_arrays(e.output()) for e in embeds]
        s = self.settings
        if len(loaded) == 1:
            unit, segments = loaded[0]
            sides = choose_sides(unit, s.src_lang, s.tgt_lang)
            vecs = vectors[0]
            src_segs = segments.get(sides.src.lang, []) if sides.src else []
            tgt_segs = segments.get(sides.tgt.lang, []) if sides.tgt else []
            src_vec = vecs[sides.src.lang] if sides.src else None
            tgt_vec = vecs[sides.tgt.lang] if sides.tgt else None
        else:
            (u0, seg0), (u1, seg1) = loaded
            d0, d1 = u0.documents[0], u1.documents[0]
            sides = Sides(d0.lang, d1.lang, d0, d1, tuple(u0.notes) + tuple(u1.notes) +
                          (f"paired by content: {u0.doc_id} ({d0.lang}) with {u1.doc_id} ({d1.lang})",))
            src_segs, tgt_segs = seg0[d0.lang], seg1[d1.lang]
            src_vec, tgt_vec = vectors[0][d0.lang], vectors[1][d1.lang]
        notes = tuple(n for u, _ in loaded for n in u.notes) + sides.notes
        return sides, {"src": src_segs, "tgt": tgt_segs}, {"notes": list(dict.fromkeys(notes))}, {"src": src_vec, "tgt": tgt_vec}


class AlignDoc(DocTask):
    """Align the source and target sentences of one document into scored beads."""

    stage = "align"

    def requires(self) -> list[luigi.Task]:
        return self.unit_requires()

    @memo_key
    def align_key(self) -> str:
        return stage_key("align", self.sides_key(), asdict(self.settings.aligner), self.calibration().digest())

    def calibration(self) -> Any:
        """The calibration fitted for this run's encoder (:func:`pipelines.calibration_source.calibration_for`)."""
        from .calibration_source import calibration_for

        return calibration_for(self.settings.model, self.settings.calibration)

    def output(self) -> luigi.LocalTarget:
        return luigi.LocalTarget(self.work_path(self.doc_id, f"alignment-{self.align_key()}.json"))

    def run(self) -> None:
        from align.aligner import align_segments
        from align.process import beads_without_counterpart, check_coverage

        t0 = time.perf_counter()
        sides, segs, _, vecs = self.load()
        src, tgt = segs["src"], segs["tgt"]
        stats: dict[str, Any] = {}
        if sides.src is None or sides.tgt is None:
            beads = beads_without_counterpart(len(src), len(tgt))
        else:
            lookup = EmbeddingLookup.of_sides(self.settings.model, segs, vecs)
            cal = self.calibration()
            result = align_segments([x.norm for x in src], [x.norm for x in tgt], lookup, self.settings.aligner,
                                    calibration=cal)
            beads = tuple(result.beads)
            stats = dict(result.stats)
            stats["calibration"] = cal.summary()
            stats["strings_encoded_in_align"] = lookup.encoded
        check_coverage(beads, len(src), len(tgt))
        stats["elapsed_s"] = round(time.perf_counter() - t0, 4)
        targets.write_json(self.output(), {"beads": [to_json_dict(b) for b in beads], "stats": stats})


class CheckDoc(DocTask):
    """Run the QA checks over one aligned document."""

    stage = "check"

    def requires(self) -> dict[str, Any]:
        return {"align": AlignDoc(doc_id=self.doc_id, units=self.units, **self.common()), "units": self.unit_requires()}

    @memo_key
    def check_key(self) -> str:
        from align.lexicon import lexicons_version

        checks = asdict(self.settings.checks)
        lexicon = lexicons_version() if self.settings.checks.lexicon else None
        return stage_key("check", self.requires()["align"].align_key(), checks, lexicon)

    def output(self) -> luigi.LocalTarget:
        return luigi.LocalTarget(self.work_path(self.doc_id, f"findings-{self.check_key()}.json"))

    def run(self) -> None:
        from align.checks import CheckContext, run_checks
        from align.lexicon import lexicon_for

        t0 = time.perf_counter()
        sides, segs, _, vecs = self.load()
        beads = [Bead.from_dict(b) for b in targets.read_json(self.input()["align"])["beads"]]
        ctx = CheckContext(
            doc_id=self.doc_id,
            src_lang=sides.src_lang,
            tgt_lang=sides.tgt_lang,
            src_doc=sides.src,
            tgt_doc=sides.tgt,
            src_segments=segs["src"],
            tgt_segments=segs["tgt"],
            beads=beads,
            settings=self.settings.checks,
            src_vectors=vecs["src"],
            tgt_vectors=vecs["tgt"],
            embed=EmbeddingLookup.of_sides(self.settings.model, segs, vecs),
            lexicon=lexicon_for(sides.src_lang, sides.tgt_lang) if self.settings.checks.lexicon else None,
        )
        findings = sorted(run_checks(ctx), key=finding_sort_key)
        targets.write_json(self.output(), {
            "findings": [to_json_dict(f) for f in findings],
            "elapsed_s": round(time.perf_counter() - t0, 4),
        })


class PublishDoc(DocTask):
    """Write the document's public outputs under ``docs/<doc_id>/``."""

    stage = "publish"

    def requires(self) -> dict[str, luigi.Task]:
        return {
            "align": AlignDoc(doc_id=self.doc_id, units=self.units, **self.common()),
            "check": CheckDoc(doc_id=self.doc_id, units=self.units, **self.common()),
            "units": self.unit_requires(),
        }

    @memo_key
    def publish_key(self) -> str:
        return stage_key("publish", self.requires()["check"].check_key())

    def doc_dir(self) -> str:
        return os.path.join(self.out_dir, "docs", self.doc_id)

    def output(self) -> dict[str, luigi.LocalTarget]:
        from align import alignment_io as io

        return {
            "alignment": luigi.LocalTarget(os.path.join(self.doc_dir(), io.ALIGNMENT_FILE)),
            "findings": luigi.LocalTarget(os.path.join(self.doc_dir(), io.FINDINGS_FILE)),
            "documents": luigi.LocalTarget(os.path.join(self.doc_dir(), io.DOCUMENTS_FILE)),
            # Written last: the public files above are current only when this exists.
            "stamp": luigi.LocalTarget(self.work_path(self.doc_id, f"published-{self.publish_key()}.json")),
        }

    def run(self) -> None:
        from align import alignment_io as io

        result = self.doc_result()
        out = self.output()
        targets.write_text(out["alignment"], lambda fh: io.write_alignment(result, fh))
        targets.write_text(out["findings"], lambda fh: io.write_findings_jsonl(result.findings, fh))
        targets.write_text(out["documents"], lambda fh: io.write_documents(result, fh))
        align_out = targets.read_json(self.input()["align"])
        check_out = targets.read_json(self.input()["check"])
        targets.write_json(out["stamp"], {
            "doc_id": self.doc_id,
            "units": [dict(u) for u in self.units],
            "src_lang": result.src_lang,
            "tgt_lang": result.tgt_lang,
            "src_sentences": len(result.src_segments),
            "tgt_sentences": len(result.tgt_segments),
            "beads": len(result.beads),
            "findings": len(result.findings),
            "align_stats": align_out["stats"],
            "check_elapsed_s": check_out.get("elapsed_s"),
        })

    def doc_result(self) -> DocResult:
        """Assemble the DocResult from the stage outputs."""
        sides, segs, meta, _ = self.load()
        beads = tuple(Bead.from_dict(b) for b in targets.read_json(self.input()["align"])["beads"])
        findings = tuple(Finding.from_dict(f) for f in targets.read_json(self.input()["check"])["findings"])
        return DocResult(
            doc_id=self.doc_id,
            src_lang=sides.src_lang,
            tgt_lang=sides.tgt_lang,
            src=sides.src,
            tgt=sides.tgt,
            src_segments=tuple(segs["src"]),
            tgt_segments=tuple(segs["tgt"]),
            beads=beads,
            findings=findings,
            notes=tuple(meta["notes"]),
        )


#: findings of the checks across documents (written by pipelines.corpus_tasks.CorpusChecks)
CORPUS_FINDINGS = "corpus_findings.jsonl"


def merge_corpus_findings(results: Sequence[DocResult], path: str) -> list[DocResult]:
    """Add the cross-document findings in ``path`` to the documents they are about."""
    import dataclasses

    by_doc: dict[str, list[Finding]] = {}
    if os.path.exists(path):
        with open(path, encoding="utf-8") as fh:
            for line in fh:
                if line.strip():
                    f = Finding.from_dict(json.loads(line))
                    by_doc.setdefault(f.doc_id, []).append(f)
    return [dataclasses.replace(r, findings=tuple(sorted(r.findings + tuple(by_doc.get(r.doc_id, ())),
                                                         key=finding_sort_key)))
            for r in results]


class RunReport(BitextqaTask):
    """The run-level outputs: report.html (+ a page per document), findings.csv and findings.json."""

    stage = "report"

    doc_ids: Sequence[str] = luigi.ListParameter(description="documents that completed, in order")
    published_keys: Sequence[str] = luigi.ListParameter(description="their publish keys")
    failed_json: str = luigi.Parameter(default="[]", description="documents that failed, with their errors, as JSON")
    corpus_key: str = luigi.Parameter(default="", description="stamp of the corpus checks whose findings to merge")

    @memo_key
    def report_key(self) -> str:
        return stage_key("report", code_version(), list(self.doc_ids), list(self.published_keys), self.failed_json,
                         self.corpus_key, self.settings_json)

    def output(self) -> dict[str, luigi.LocalTarget]:
        return {
            "html": luigi.LocalTarget(os.path.join(self.out_dir, "report.html")),
            "csv": luigi.LocalTarget(os.path.join(self.out_dir, "findings.csv")),
            "json": luigi.LocalTarget(os.path.join(self.out_dir, "findings.json")),
            "stamp": luigi.LocalTarget(os.path.join(self.out_dir, WORK, f"report-{self.report_key()}.json")),
        }

    def run(self) -> None:
        from align.alignment_io import read_doc_result
        from align.exports.findings import document_texts, write_findings_csv, write_findings_json
        from align.report import render_report
        from align.run_summary import report_summary

        t0 = time.perf_counter()
        results = [read_doc_result(os.path.join(self.out_dir, "docs", d)) for d in self.doc_ids]
        if self.corpus_key:
            results = merge_corpus_findings(results, os.path.join(self.out_dir, CORPUS_FINDINGS))
        failed = json.loads(self.failed_json)
        summary = report_summary(results, failed, self.settings)
        pages = render_report(results, summary)
        out = self.output()
        for rel, html in sorted(pages.items()):
            target = out["html"] if rel == "report.html" else luigi.LocalTarget(os.path.join(self.out_dir, rel))
            targets.write_text(target, lambda fh, h=html: fh.write(h))
        findings = sorted((f for r in results for f in r.findings), key=finding_sort_key)
        texts = document_texts(results)
        targets.write_text(out["csv"], lambda fh: write_findings_csv(findings, fh, texts=texts))
        targets.write_text(out["json"], lambda fh: write_findings_json(findings, fh, texts=texts))
        targets.write_json(out["stamp"], {"pages": sorted(pages), "findings": len(findings),
                                          "elapsed_s": round(time.perf_counter() - t0, 4)})
