"""Corpus-level Luigi tasks: the persistent sentence index, document pairing, cross-document checks.

Thin, like :mod:`pipelines.tasks`: each reads stage outputs, calls one
function of :mod:`align`, writes its output atomically through a Luigi target.

* :class:`UpdateCorpusIndex` keeps one FAISS corpus index per model in the
  output folder (``OUT/.work/corpus_index/<model>/``) and brings it up to
  date with the run's documents: new or changed language versions are added,
  versions no longer in the run are removed; nothing is rebuilt. Its output
  is a small stamp named by a hash of every version's embedding key, so an
  unchanged rerun does nothing. A file lock serialises updates from
  overlapping runs that share the cache.
* :class:`PairDocuments` pairs the run's monolingual inputs by content
  (:func:`align.doc_pairing.pair_documents`) and writes the pairs, each with
  the two unit specs ordered source first, ready to become one document.
* :class:`CorpusChecks` runs the cross-document checks
  (:func:`align.consistency.find_inconsistent_translations` and
  :func:`align.tm_suggest.suggest_translations`) over the published
  documents and writes ``OUT/corpus_findings.jsonl``.
"""

from __future__ import annotations

import fcntl
import json
import os
import time
from contextlib import contextmanager
from dataclasses import asdict
from typing import Any, Iterator, Mapping, Sequence

import luigi

from align import __version__
from align.records import finding_sort_key, to_json_dict

from . import targets
from .code_version import code_version
from .tasks import CORPUS_FINDINGS, WORK, BitextqaTask, EmbedUnit, IngestUnit, PublishDoc, SegmentUnit, load_unit_and_segments, memo_key, stage_key



def version_key(unit_spec: Mapping[str, Any], lang: str) -> str:
    """The corpus-index key of one language version of one input unit."""
    return f"{unit_spec['doc_id']}:{lang}"


@contextmanager
def folder_lock(folder: str) -> Iterator[None]:
    """Hold an exclusive lock on ``folder/.lock`` (blocks while another process holds it)."""
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, ".lock"), "a+") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


class UnitsTask(BitextqaTask):
    """A corpus task over many input units (their specs as made by :func:`pipelines.tasks.spec_dict`)."""

    units: Sequence[Mapping[str, Any]] = luigi.ListParameter(description="unit specs of every input of the run")

    def unit_tasks(self, cls: type) -> list[luigi.Task]:
        return [cls(spec=u, **self.common()) for u in self.units]

    def unit_requires(self) -> list[luigi.Task]:
        return self.unit_tasks(IngestUnit) + self.unit_tasks(SegmentUnit) + self.unit_tasks(EmbedUnit)

    @memo_key
    def corpus_key(self) -> str:
        """Hash of every unit's embedding output name (content, segmentation, model) and the release
        number (the index holds only the units' segments and vectors, named as they are)."""
        names = sorted(os.path.basename(t.output().path) for t in self.unit_tasks(EmbedUnit))
        return stage_key("corpus", __version__, names)

    def index_dir(self) -> str:
        """The persistent corpus index of the run's model: one per output folder, so runs over
        other inputs that share the embedding cache do not remove each other's documents."""
        from align.encoders import model_slug

        return os.path.join(self.out_dir, WORK, "corpus_index", model_slug(self.settings.model))

    def versions(self) -> Iterator[tuple[Mapping[str, Any], Any, list, Any, str]]:
        """Per language version of every unit: (spec, document, segments, vectors, content key)."""
        for spec, ingest, seg, emb in zip(self.units, self.unit_tasks(IngestUnit), self.unit_tasks(SegmentUnit),
                                          self.unit_tasks(EmbedUnit)):
            unit, segments = load_unit_and_segments(ingest.output(), seg.output())
            arrays = targets.read_arrays(emb.output())
            content = os.path.basename(emb.output().path)
            for doc in unit.documents:
                segs = segments.get(doc.lang, [])
                if segs:
                    yield spec, doc, segs, arrays[doc.lang], content


class UpdateCorpusIndex(UnitsTask):
    """Bring the persistent corpus index up to date with the run's documents (incrementally)."""

    stage = "corpus_index"

    def requires(self) -> list[luigi.Task]:
        return self.unit_requires()

    def output(self) -> luigi.LocalTarget:
        return luigi.LocalTarget(os.path.join(self.out_dir, WORK, "corpus", f"index-{self.corpus_key()}.json"))

    def state_path(self) -> str:
        """A stamp in the index folder naming the corpus the index holds now."""
        return os.path.join(self.index_dir(), "state.json")

    def complete(self) -> bool:
        """Done when this corpus was indexed and the index still holds it (a run over other
        inputs into the same output folder changes the index, and this run must change it back)."""
        if not self.output().exists():
            return False
        try:
            with open(self.state_path(), encoding="utf-8") as fh:
                return json.load(fh).get("corpus_key") == self.corpus_key()
        except (OSError, ValueError):
            return False

    def run(self) -> None:
        from align.corpus_index import CorpusIndex, EntryMeta

        t0 = time.perf_counter()
        folder = self.index_dir()
        with folder_lock(folder):
            versions = {version_key(spec, doc.lang): (segs, vecs, content)
                        for spec, doc, segs, vecs, content in self.versions()}
            if os.path.exists(os.path.join(folder, "meta.json")):
                index = CorpusIndex.load(folder)
            else:
                dim = next(iter(versions.values()))[1].shape[1] if versions else 1
                index = CorpusIndex(dim)
            to_add, to_remove = index.plan_update({k: v[2] for k, v in versions.items()})
            for key in to_remove:
                index.remove_document(key)
            for key in to_add:
                segs, vecs, content = versions[key]
                entries = [EntryMeta(s.doc_id, s.lang, s.idx, s.start, s.end) for s in segs]
                index.add_document(key, content, vecs, entries)
            if to_add or to_remove or not os.path.exists(os.path.join(folder, "meta.json")):
                index.save(folder)
            described = index.describe()
            targets.write_json(luigi.LocalTarget(self.state_path()), {"corpus_key": self.corpus_key()})
        targets.write_json(self.output(), {
            "index_dir": folder, "added": to_add, "removed": to_remove, "index": described,
            "elapsed_s": round(time.perf_counter() - t0, 4),
        })


class PairDocuments(UnitsTask):
    """Find which monolingual inputs translate each other; write the pairs and the documents left alone."""

    stage = "pairing"

    def requires(self) -> dict[str, Any]:
        return {"index": UpdateCorpusIndex(units=self.units, **self.common()), "units": self.unit_requires()}

    def output(self) -> luigi.LocalTarget:
        key = stage_key("pairing", self.corpus_key(), asdict(self.settings.pairing), self.settings.src_lang,
                        self.settings.tgt_lang)
        return luigi.LocalTarget(os.path.join(self.out_dir, WORK, "corpus", f"pairing-{key}.json"))

    def run(self) -> None:
        from align.corpus_index import CorpusIndex
        from align.doc_pairing import DocVectors, pair_documents

        t0 = time.perf_counter()
        with folder_lock(self.index_dir()):
            index = CorpusIndex.load(self.index_dir())
        mono: dict[str, int] = {}
        for spec, ingest in zip(self.units, self.unit_tasks(IngestUnit)):
            mono[spec["doc_id"]] = len(targets.read_json(ingest.output())["documents"])
        spec_of = {spec["doc_id"]: dict(spec) for spec in self.units}
        docs = [DocVectors.from_segments(version_key(spec, doc.lang), segs, vecs)
                for spec, doc, segs, vecs, _ in self.versions() if mono[spec["doc_id"]] == 1]
        result = pair_documents(docs, index=index, settings=self.settings.pairing)
        src_lang = self.settings.src_lang
        pairs = []
        for p in result.pairs:
            first, second = (p.a, p.b) if p.a_lang == src_lang or p.b_lang != src_lang else (p.b, p.a)
            ids = [k.rsplit(":", 1)[0] for k in (first, second)]
            pairs.append({**to_json_dict(p), "doc_id": "+".join(ids), "units": [spec_of[i] for i in ids]})
        targets.write_json(self.output(), {
            "pairs": pairs,
            "unpaired": to_json_dict(result.unpaired),
            "scores": to_json_dict(result.scores),
            "settings": to_json_dict(result.settings),
            "elapsed_s": round(time.perf_counter() - t0, 4),
        })


def paired_doc_ids(pairing: Mapping[str, Any]) -> set[str]:
    """The input doc_ids that a pairing output merged into pairs."""
    return {u["doc_id"] for p in pairing["pairs"] for u in p["units"]}


class CorpusChecks(BitextqaTask):
    """Cross-document checks (inconsistent translations, translation-memory suggestions) over published documents."""

    stage = "corpus_checks"

    docs: Sequence[Mapping[str, Any]] = luigi.ListParameter(
        description="the published documents: [{doc_id, units}] as given to PublishDoc")

    def doc_tasks(self) -> list[PublishDoc]:
        return [PublishDoc(doc_id=d["doc_id"], units=d["units"], **self.common()) for d in self.docs]

    def requires(self) -> list[PublishDoc]:
        return self.doc_tasks()

    def output(self) -> dict[str, luigi.LocalTarget]:
        key = stage_key("corpus-checks", code_version(), sorted(t.publish_key() for t in self.doc_tasks()),
                        asdict(self.settings.consistency), asdict(self.settings.memory))
        return {
            "findings": luigi.LocalTarget(os.path.join(self.out_dir, CORPUS_FINDINGS)),
            "stamp": luigi.LocalTarget(os.path.join(self.out_dir, WORK, "corpus", f"checks-{key}.json")),
        }

    def run(self) -> None:
        from align.alignment_io import read_doc_result
        from align.consistency import find_inconsistent_translations
        from align.tm_suggest import suggest_translations

        t0 = time.perf_counter()
        results, vectors = [], {}
        for task in self.doc_tasks():
            results.append(read_doc_result(task.doc_dir()))
            _, _, _, vecs = task.load()
            vectors[task.doc_id] = (vecs["src"], vecs["tgt"])
        findings = (find_inconsistent_translations(results, vectors, settings=self.settings.consistency)
                    + suggest_translations(results, vectors, settings=self.settings.memory))
        findings.sort(key=finding_sort_key)
        out = self.output()
        targets.write_text(out["findings"], lambda fh: fh.writelines(
            json.dumps(to_json_dict(f), ensure_ascii=False, sort_keys=True) + "\n" for f in findings))
        counts: dict[str, int] = {}
        for f in findings:
            counts[f.check] = counts.get(f.check, 0) + 1
        targets.write_json(out["stamp"], {"findings": counts, "elapsed_s": round(time.perf_counter() - t0, 4)})
