"""What an exporter wrote and what it had to change: shared by the TMX, Moses and TSV writers."""

from __future__ import annotations

from dataclasses import asdict, dataclass

from .cleaning import flatten_line_breaks, strip_xml_forbidden


@dataclass(slots=True)
class ExportStats:
    """Counts of one export (all counts in units or code points).

    ``forbidden_chars_removed``: characters XML 1.0 forbids, removed (all formats
    remove them, so TMX, Moses and TSV exports of one run carry the same text);
    ``units_with_forbidden_chars``: units that lost at least one;
    ``line_breaks_replaced``: line/field breaks replaced by a space (Moses and
    TSV only; TMX keeps them).
    """

    units_written: int = 0
    forbidden_chars_removed: int = 0
    units_with_forbidden_chars: int = 0
    line_breaks_replaced: int = 0

    def as_dict(self) -> dict[str, int]:
        """Plain data for JSON summaries."""
        return asdict(self)

    def clean(self, *texts: str, flatten: bool = False) -> list[str]:
        """Clean the texts of one unit for writing, counting what changed.

        Removes XML-forbidden characters; with ``flatten`` also replaces line
        breaks and tabs by spaces (for line-based formats).
        """
        out: list[str] = []
        removed_here = 0
        for text in texts:
            text, n = strip_xml_forbidden(text)
            removed_here += n
            if flatten:
                text, m = flatten_line_breaks(text)
                self.line_breaks_replaced += m
            out.append(text)
        self.forbidden_chars_removed += removed_here
        self.units_with_forbidden_chars += removed_here > 0
        return out
