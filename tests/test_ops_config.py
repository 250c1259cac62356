"""``bitextqa run --config bitextqa.toml`` (issue 8): paths relative to the file, CLI wins, bad keys exit 2."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import run_cli
from test_ops_support import make_small_corpus, read_summary, run_bitextqa

ONE_DOC = {"002": 1}  # one English paragraph: the smallest real run


def write_config(path: Path, body: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(body, encoding="utf-8")
    return path


@pytest.mark.slow
def test_inputs_and_out_are_relative_to_the_config_file(tmp_path):
    project = tmp_path / "project"
    doc_ids = make_small_corpus(project / "incoming", ONE_DOC)
    config = write_config(project / "conf" / "bitextqa.toml",
                          'inputs = ["../incoming"]\nout = "../qa"\ncache_dir = "../cache"\nquiet = true\n')
    elsewhere = tmp_path / "cron-cwd"
    elsewhere.mkdir()
    proc = run_bitextqa("run", "--config", str(config), cwd=elsewhere)
    assert proc.returncode == 0, proc.stderr
    out = project / "qa"
    assert read_summary(out)["documents"]["completed"] == doc_ids
    assert (out / "report.html").is_file()
    assert list((project / "cache" / "embeddings").rglob("*.npz")), "cache_dir from the file not used"
    assert list(elsewhere.iterdir()) == [], "nothing may be written relative to the working directory"
    # quiet = true in the file: nothing but errors on stderr, while the log file keeps the task lines.
    assert proc.stderr.strip() == ""
    assert any(" done PublishDoc " in line for line in (out / "bitextqa.log").read_text().splitlines())


@pytest.mark.slow
def test_command_line_overrides_the_file(tmp_path):
    make_small_corpus(tmp_path / "incoming", ONE_DOC)
    config = write_config(tmp_path / "bitextqa.toml",
                          'inputs = ["incoming"]\nout = "from_file"\n\n[checks]\nlow_score = 0.7\n')
    override = tmp_path / "from_cli"
    code = run_cli("run", "--config", str(config), "--out", str(override), "--tgt-lang", "en", "--quiet")
    assert code == 0
    assert not (tmp_path / "from_file").exists()
    summary = read_summary(override)
    assert summary["out_dir"] == str(override)
    assert summary["settings"]["checks"]["low_score"] == 0.7  # file value kept where the CLI is silent
    assert summary["inputs"] == [str(tmp_path / "incoming")]


def test_paths_on_the_command_line_replace_the_files_inputs(tmp_path):
    from pipelines.config import read_config_file, resolve_config

    config = write_config(tmp_path / "c" / "bitextqa.toml", 'inputs = ["a", "/abs/b"]\nworkers = 2\nwait = 30\n')
    from_file = resolve_config(read_config_file(str(config)), {"inputs": (), "workers": None, "wait": None})
    assert from_file.inputs == (str(tmp_path / "c" / "a"), "/abs/b")
    assert (from_file.workers, from_file.wait) == (2, 30.0)
    assert from_file.out == "reports" and from_file.cache_dir is None  # defaults
    cli = resolve_config(read_config_file(str(config)), {"inputs": ("x",), "workers": 1, "wait": 0.0})
    assert (cli.inputs, cli.workers, cli.wait) == (("x",), 1, 0.0)


# (label, bitextqa.toml body, words the message must contain)
BAD_CONFIGS = [
    ("unknown top-level key", 'inputs = ["in"]\nbogus = 1\n', ["bogus"]),
    ("unknown aligner key", 'inputs = ["in"]\n[aligner]\nfoo = 2\n', ["aligner", "foo"]),
    ("unknown checks key", 'inputs = ["in"]\n[checks]\nlow_scor = 0.4\n', ["checks", "low_scor"]),
    ("workers not a number", 'inputs = ["in"]\nworkers = "many"\n', ["workers", "many"]),
    ("workers zero", 'inputs = ["in"]\nworkers = 0\n', ["workers"]),
    ("negative wait", 'inputs = ["in"]\nwait = -3\n', ["wait"]),
    ("quiet not a boolean", 'inputs = ["in"]\nquiet = "yes"\n', ["quiet"]),
    ("threshold not a number", 'inputs = ["in"]\n[checks]\nlow_score = "high"\n', ["checks.low_score", "high"]),
    ("negative band", 'inputs = ["in"]\n[aligner]\nband = -4\n', ["aligner.band"]),
    ("unknown pairing key", 'inputs = ["in"]\n[pairing]\nmin_scor = 0.5\n', ["pairing", "min_scor"]),
    ("zero neighbours", 'inputs = ["in"]\nout = "out"\n[consistency]\nknn = 0\n', ["consistency.knn"]),
    ("memory threshold not a number", 'inputs = ["in"]\n[memory]\nmin_score = "x"\n', ["memory.min_score"]),
    ("bool for an int", 'inputs = ["in"]\n[aligner]\ntop_k = true\n', ["aligner.top_k"]),
    ("language not a string", 'inputs = ["in"]\nsrc_lang = 5\n', ["src_lang"]),
    ("same language twice", 'inputs = ["in"]\nsrc_lang = "en"\n', ["en"]),
    ("table given a value", 'inputs = ["in"]\naligner = 3\n', ["aligner"]),
    ("inputs not paths", "inputs = [1]\n", ["inputs"]),
    ("out not a path", 'inputs = ["in"]\nout = 3\n', ["out"]),
    ("TOML syntax error", 'inputs = ["in"\n', ["not valid TOML", "line"]),
    ("no inputs at all", 'out = "x"\n', ["no inputs"]),
]


@pytest.mark.parametrize("body, words", [pytest.param(b, w, id=label) for label, b, w in BAD_CONFIGS])
def test_bad_configuration_exits_2_naming_the_key(tmp_path, capsys, body, words):
    (tmp_path / "in").mkdir()
    config = write_config(tmp_path / "bitextqa.toml", body + 'out = "out"\n' if "out =" not in body else body)
    code = run_cli("run", "--config", str(config))
    err = capsys.readouterr().err
    assert code == 2, err
    for word in words:
        assert word in err, (word, err)
    assert "Traceback" not in err
    assert not (tmp_path / "out").exists(), "a bad configuration must not start a run"


def test_missing_config_file_exits_2_naming_it(tmp_path, capsys):
    code = run_cli("run", "--config", str(tmp_path / "nope.toml"))
    assert code == 2
    assert "nope.toml" in capsys.readouterr().err


def test_bad_option_value_on_the_command_line_exits_2(tmp_path, capsys):
    (tmp_path / "in").mkdir()
    code = run_cli("run", str(tmp_path / "in"), "--out", str(tmp_path / "out"), "--workers", "0")
    assert code == 2
    assert "workers" in capsys.readouterr().err


def test_readme_sample_config_parses(tmp_path):
    """The bitextqa.toml shown in the README's production section is valid as written."""
    from pipelines.config import read_config_file, resolve_config

    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Running in production", 1)[1].split("\n## ", 1)[0]
    sample = section.split("```toml\n", 1)[1].split("```", 1)[0]
    config = write_config(tmp_path / "bitextqa.toml", sample)
    resolved = resolve_config(read_config_file(str(config)), {})
    assert resolved.inputs == (str(tmp_path / "incoming"),)
    assert resolved.out == str(tmp_path / "reports") and resolved.cache_dir == str(tmp_path / "cache")
    assert resolved.settings.checks.low_score == 0.4
