"""Corpus-level Luigi tasks on real files with the local scheduler (issue 6)."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import luigi
import pytest

from align.corpus_index import CorpusIndex
from align.settings import Settings, settings_to_dict
from pipelines.corpus_tasks import CORPUS_FINDINGS, CorpusChecks, PairDocuments, UpdateCorpusIndex
from pipelines.run import file_hash
from pipelines.tasks import spec_dict

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
SEED_000 = SEEDS / "000_17f6063197ae1b9a.txt"
SEED_003 = SEEDS / "003_a763b425f0964b15.txt"
SEED_004 = SEEDS / "004_64f631ca7b3c5cd8.txt"


def common(out: Path, settings: Settings | None = None) -> dict:
    return {
        "out_dir": str(out),
        "cache_dir": str(out / ".cache"),
        "settings_json": json.dumps(settings_to_dict(settings or Settings()), sort_keys=True),
    }


def spec(path: Path) -> dict:
    from align.discover import InputSpec

    return spec_dict(InputSpec(path.stem, (str(path),), (None,)), file_hash(str(path)))


def build(*tasks) -> bool:
    luigi.configuration.get_config().set("core", "no_configure_logging", "true")
    return luigi.build(list(tasks), local_scheduler=True, workers=1, log_level="WARNING")


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    """Seed 000 split into two unrelated-looking monolingual files, plus seeds 003 and 004."""
    base = tmp_path_factory.mktemp("corpus")
    inputs = base / "in"
    inputs.mkdir()
    lines = SEED_000.read_text(encoding="utf-8").splitlines()
    en = [x for x in lines if x.strip() and not any("\u4e00" <= c <= "\u9fff" for c in x)]
    zh = [x for x in lines if any("\u4e00" <= c <= "\u9fff" for c in x)]
    (inputs / "interview_english.txt").write_text("\n".join(en) + "\n", encoding="utf-8")
    (inputs / "minister_chinese.txt").write_text("\n".join(zh) + "\n", encoding="utf-8")
    shutil.copy(SEED_003, inputs / "xiao_en.txt")
    shutil.copy(SEED_004, inputs / "heads_zh.txt")
    units = [spec(p) for p in sorted(inputs.iterdir())]
    out = base / "out"
    task = UpdateCorpusIndex(units=units, **common(out))
    assert build(task)
    return {"inputs": inputs, "out": out, "units": units, "task": task}


def test_index_holds_every_language_version(corpus):
    stamp = json.loads(Path(corpus["task"].output().path).read_text(encoding="utf-8"))
    index = CorpusIndex.load(stamp["index_dir"])
    assert index.keys() == ["heads_zh:zh", "interview_english:en", "minister_chinese:zh", "xiao_en:en"]
    assert sorted(stamp["added"]) == index.keys() and stamp["removed"] == []
    assert stamp["index"]["shards"]["en"]["kind"] == "flat"


def test_unchanged_rerun_does_nothing(corpus):
    again = UpdateCorpusIndex(units=corpus["units"], **common(corpus["out"]))
    assert again.complete()


def test_changed_and_deleted_documents_update_incrementally(corpus, tmp_path):
    out = corpus["out"]
    changed = tmp_path / "xiao_en.txt"
    changed.write_text(SEED_003.read_text(encoding="utf-8") + "\nOne more closing sentence was added.\n",
                       encoding="utf-8")
    units = [u for u in corpus["units"] if u["doc_id"] not in ("xiao_en", "heads_zh")] + [spec(changed)]
    task = UpdateCorpusIndex(units=units, **common(out))
    assert not task.complete()
    assert build(task)
    stamp = json.loads(Path(task.output().path).read_text(encoding="utf-8"))
    assert stamp["added"] == ["xiao_en:en"]
    assert stamp["removed"] == ["heads_zh:zh"]
    # back to the original corpus for the other tests
    assert build(UpdateCorpusIndex(units=corpus["units"], **common(out)))


def test_runs_sharing_a_cache_keep_their_own_index(corpus, tmp_path):
    """Another output folder over other inputs, with the same embedding cache, leaves this index alone."""
    shared = {**common(tmp_path / "other"), "cache_dir": common(corpus["out"])["cache_dir"]}
    only_xiao = [u for u in corpus["units"] if u["doc_id"] == "xiao_en"]
    other = UpdateCorpusIndex(units=only_xiao, **shared)
    assert build(other)
    assert CorpusIndex.load(other.index_dir()).keys() == ["xiao_en:en"]
    assert CorpusIndex.load(corpus["task"].index_dir()).keys() == [
        "heads_zh:zh", "interview_english:en", "minister_chinese:zh", "xiao_en:en"]


def test_pairing_finds_the_split_halves_and_nothing_else(corpus):
    task = PairDocuments(units=corpus["units"], **common(corpus["out"]))
    assert build(task)
    result = json.loads(Path(task.output().path).read_text(encoding="utf-8"))
    (pair,) = result["pairs"]
    assert pair["doc_id"] == "minister_chinese+interview_english"  # source language (zh) first
    assert [u["doc_id"] for u in pair["units"]] == ["minister_chinese", "interview_english"]
    assert pair["score"] > 0.9
    assert sorted(u["doc_id"] for u in result["unpaired"]) == ["heads_zh", "xiao_en"]


def test_pairing_settings_come_from_the_run_settings(corpus):
    """A [pairing] threshold from bitextqa.toml reaches the pairing and names its output."""
    from align.settings import settings_from_mapping

    strict = settings_from_mapping({"pairing": {"min_score": 0.99}})
    task = PairDocuments(units=corpus["units"], **common(corpus["out"], strict))
    default = PairDocuments(units=corpus["units"], **common(corpus["out"]))
    assert task.output().path != default.output().path
    assert build(task)
    result = json.loads(Path(task.output().path).read_text(encoding="utf-8"))
    assert result["pairs"] == []  # the halves score about 0.96, below the 0.99 asked for
    assert result["settings"]["min_score"] == 0.99
    assert len(result["unpaired"]) == 4


def test_failed_write_leaves_no_output(corpus, monkeypatch):
    task = PairDocuments(units=corpus["units"], **common(corpus["out"] / "other"))
    assert build(UpdateCorpusIndex(units=corpus["units"], **common(corpus["out"] / "other")))

    def boom(*_a, **_k):
        raise RuntimeError("pairing crashed")

    monkeypatch.setattr("align.doc_pairing.pair_documents", boom)
    assert not build(task)
    assert not os.path.exists(task.output().path)
    record = json.loads(Path(task.error_record_path()).read_text(encoding="utf-8"))
    assert "pairing crashed" in record["message"] and record["stage"] == "pairing"
    # once the task succeeds, its failure record goes (with luigid, records are not cleared per run)
    monkeypatch.undo()
    assert build(task)
    assert os.path.exists(task.output().path) and not os.path.exists(task.error_record_path())


def test_corpus_checks_over_the_seeds_run(seeds_run, tmp_path):
    from pipelines.config import RunConfig
    from pipelines.run import plan_documents, plan_units

    out = tmp_path / "out"
    shutil.copytree(seeds_run["out"], out)
    units, common = plan_units([str(seeds_run["inputs"])], RunConfig(inputs=(str(seeds_run["inputs"]),), out=str(out)))
    docs = plan_documents(units, {"pairs": []}, common)
    assert all(d.complete() for d in docs)  # the copied run is up to date: only the corpus task runs
    task = CorpusChecks(docs=[{"doc_id": d.doc_id, "units": [dict(u) for u in d.units]} for d in docs],
                        **{k: getattr(docs[0], k) for k in ("out_dir", "cache_dir", "settings_json")})
    assert build(task)
    lines = (out / CORPUS_FINDINGS).read_text(encoding="utf-8").splitlines()
    findings = [json.loads(x) for x in lines]
    checks = {f["check"] for f in findings}
    assert checks == {"inconsistent_translation", "tm_suggestion"}
    incons = [f for f in findings if f["check"] == "inconsistent_translation"]
    assert {f["doc_id"][:3] for f in incons} == {"000", "001"}
    # the untranslated "大模型技术的一个侧重点…" sentence of 000 gets a memory suggestion from 001
    tm = [f for f in findings if f["check"] == "tm_suggestion" and f["doc_id"].startswith("000") and f["src_span"]]
    text = Path(tm[0]["src_span"]["path"]).read_text(encoding="utf-8")
    (big_model,) = [f for f in tm if text[f["src_span"]["start"]:f["src_span"]["end"]].startswith("大模型技术的一个侧重点")]
    assert big_model["evidence"]["suggestions"][0]["doc_id"].startswith("001")
    assert build(CorpusChecks(docs=task.docs, out_dir=task.out_dir, cache_dir=task.cache_dir,
                              settings_json=task.settings_json))  # complete: nothing to do
