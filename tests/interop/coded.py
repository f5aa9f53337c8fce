"""What an imported project's codings are, read back in terms a test can state by hand."""

from __future__ import annotations

from workbench.core.project import Project


def codings(project: Project) -> list[tuple[str, str, str, int, int, str]]:
    """(source file name, code label, coder, start, end, coded text) for every coding, sorted."""
    codes = {c["id"]: c["label"] for c in project.codes()}
    segments = project.store.all("segments")
    texts: dict[str, tuple[str, str]] = {}
    for source in project.sources():
        version, record = project.current_text(source["id"])
        texts[version] = (source["filename"], record.text)
    out = []
    for coding in project.store.all("codings").values():
        segment = segments[coding["segment_id"]]
        name, text = texts[segment["version_id"]]
        start, end = segment["start"], segment["end"]
        out.append((name, codes[coding["code_id"]], coding["coder"], start, end, text[start:end]))
    return sorted(out)


def coded_texts(project: Project) -> list[tuple[str, str, str, str]]:
    """(source file name, code label, coder, coded text) for every coding, sorted."""
    return sorted((name, code, coder, text) for name, code, coder, _s, _e, text in codings(project))
