"""The HTML QA report: one run page and one side-by-side page per document pair.

:func:`render_report` is pure: it takes the run's :class:`~align.records.DocResult` s
and summary and returns ``{relative path: HTML text}``; the caller writes the
files (atomically). Pages are self-contained (inline CSS and JavaScript, no
network fetches, a Content-Security-Policy that allows only the report's own
script, by hash) and work from ``file://``. Every piece of document text goes
through Jinja2's autoescaping; data for the script is embedded with
:func:`json_for_script`, which cannot close its ``<script>`` element.
"""

from __future__ import annotations

import base64
import hashlib
import json
from functools import lru_cache
from importlib import resources
from typing import Any, Mapping, Sequence
from urllib.parse import quote

from markupsafe import Markup

from .. import __version__
from ..records import SEVERITY_ORDER, DocResult
from .charts import score_bars_svg, score_track_svg
from .rows import rows_html
from .views import (
    SEVERITIES,
    DocView,
    build_doc_view,
    evidence_text,
    failed_documents,
    findings_matrix,
    signature_items,
)

__all__ = ["render_report", "doc_page_path", "json_for_script"]

RUN_PAGE = "report.html"

# Summary keys already shown elsewhere on the run page (not repeated in "How this run was made").
_SHOWN_KEYS = {"signature", "documents", "failed", "settings", "totals", "tasks", "tool", "version", "tool_version",
               "model", "encoder", "model_revision", "encoder_revision", "index", "segmenter", "python"}


def json_for_script(obj: Any) -> Markup:
    """JSON text that is safe inside an HTML ``<script>`` element.

    ``<``, ``>`` and ``&`` are written as ``\\u003c``-style escapes (so no
    ``</script>`` or ``<!--`` can appear), and so are U+2028/U+2029; the JSON
    value is unchanged for any JSON parser.

    >>> str(json_for_script({"t": "</script><b>&"}))
    '{"t": "\\\\u003c/script\\\\u003e\\\\u003cb\\\\u003e\\\\u0026"}'
    """
    text = json.dumps(obj, ensure_ascii=False, sort_keys=True)
    for ch, esc in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"), ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        text = text.replace(ch, esc)
    return Markup(text)


def doc_page_path(doc_id: str) -> str:
    """Relative path of a document's page: ``docs/<doc_id>/report.html``.

    Path components that would leave ``docs/`` (``..``, ``.``, empty, or a
    leading ``/``) are replaced by ``_``.
    """
    parts = [p if p not in ("", ".", "..") else "_" for p in doc_id.replace("\\", "/").split("/")]
    return "/".join(["docs", *parts, "report.html"])


@lru_cache(maxsize=1)
def _assets() -> tuple[str, str, str]:
    """(css, js, CSP hash source of the js) from package data."""
    base = resources.files("align.report").joinpath("templates")
    css = base.joinpath("report.css").read_text(encoding="utf-8")
    js = base.joinpath("report.js").read_text(encoding="utf-8")
    digest = base64.b64encode(hashlib.sha256(js.encode("utf-8")).digest()).decode("ascii")
    return css, js, f"sha256-{digest}"


@lru_cache(maxsize=1)
def _environment() -> Any:
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.PackageLoader("align.report", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals.update(
        pct=lambda x: f"{100 * float(x):.1f}%",
        excerpt=_excerpt,
        evidence_text=evidence_text,
        severities=SEVERITIES,
        sev_rank={s.value: n for s, n in SEVERITY_ORDER.items()},
        version=__version__,
    )
    return env


def _excerpt(text: str | None, limit: int = 200) -> str:
    if not text:
        return ""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _common() -> dict[str, Any]:
    css, js, script_hash = _assets()
    return {"css": Markup(css), "js": Markup(js), "script_hash": script_hash}


def render_doc_page(view: DocView, back: str) -> str:
    """The side-by-side page of one document; ``back`` is the relative link to the run page."""
    data = [
        {"id": fv.fid, "check": fv.finding.check, "severity": fv.finding.severity.value, "row": fv.row_id,
         "message": fv.finding.message}
        for fv in sorted(view.findings, key=lambda fv: fv.fid)
    ]  # indexed by fid
    r = view.result
    return _environment().get_template("doc.html.j2").render(
        **_common(),
        r=r,
        v=view,
        c=view.counts,
        back=back,
        track=Markup(score_track_svg(view.scores, view.gaps)),
        rows=Markup(rows_html(view)),
        findings_json=json_for_script(data),
    )


def render_report(results: Sequence[DocResult], summary: Mapping[str, Any]) -> dict[str, str]:
    """Render the run page and one page per document: ``{relative path: HTML text}``.

    Keys are ``"report.html"`` and :func:`doc_page_path` of each result
    (``"docs/<doc_id>/report.html"``). ``summary`` is the run summary (as in
    ``summary.json``); known keys are shown (signature, failed documents with
    their errors, timings), missing keys are tolerated. The output depends only
    on the arguments (no clock), so unchanged runs give identical files.
    """
    pages: dict[str, str] = {}
    docs = []
    for r in results:
        path = doc_page_path(r.doc_id)
        depth = path.count("/")
        view = build_doc_view(r)
        pages[path] = render_doc_page(view, "../" * depth + RUN_PAGE)
        paths = sorted({d.path for d in (r.src, r.tgt) if d is not None})
        docs.append({
            "doc_id": r.doc_id,
            "href": quote(path),
            "src_lang": r.src_lang,
            "tgt_lang": r.tgt_lang,
            "paths": paths,
            "counts": view.counts,
            "view": view,
        })
    failed = failed_documents(summary)
    n_sent = sum(d["counts"]["src_sentences"] + d["counts"]["tgt_sentences"] for d in docs)
    n_aligned = sum(d["counts"]["coverage"] * (d["counts"]["src_sentences"] + d["counts"]["tgt_sentences"]) for d in docs)
    totals = {
        "documents": len(docs) + len(failed),
        "completed": len(docs),
        "failed": len(failed),
        "src_sentences": sum(d["counts"]["src_sentences"] for d in docs),
        "tgt_sentences": sum(d["counts"]["tgt_sentences"] for d in docs),
        "beads": sum(d["counts"]["beads"] for d in docs),
        "coverage": n_aligned / n_sent if n_sent else 0.0,
        "findings": sum(d["counts"]["findings"] for d in docs),
    }
    chart = score_bars_svg([
        (d["doc_id"], [b.score for b in r.beads if b.src and b.tgt], sum(1 for b in r.beads if not (b.src and b.tgt)))
        for d, r in zip(docs, results)
    ], hrefs=[d["href"] for d in docs])
    extra = []
    for key in sorted(k for k in summary if k not in _SHOWN_KEYS):
        value = summary[key]
        if value in (None, "", [], {}):
            continue
        text = value if isinstance(value, str) else json.dumps(value, sort_keys=True, ensure_ascii=False)
        extra.append((key.replace("_", " "), text))
    pages[RUN_PAGE] = _environment().get_template("run.html.j2").render(
        **_common(),
        totals=totals,
        failed=failed,
        matrix=findings_matrix(results),
        docs=docs,
        chart=Markup(chart),
        signature=signature_items(summary),
        extra=extra,
        generated=str(summary.get("finished_at") or summary.get("generated_at") or ""),
    )
    return pages
