"""A small synthetic study for the RTA tests (an invented interview: no real participant).

Built only with the public API, as a plugin author would: an ``ImportedTranscript`` handed to
``Project.add_source``, and codes applied with ``Project.code`` on tool line numbers.
"""

from __future__ import annotations

from workbench import ImportedTranscript, Project, detect_turns

INTERVIEW = (
    "Interviewer: How did you find the peer support group?\n"
    "\n"
    "Participant: I sat at the back. I was sure they would judge me.\n"
    "\n"
    "Interviewer: And later?\n"
    "\n"
    "Participant: Someone said what I was thinking. I kept coming back.\n"
)


def add_interview(
    project: Project, text: str = INTERVIEW, participant: str = "P01", name: str = "Alex"
) -> str:
    """Import a transcript the way an importer plugin would hand it over; returns the source id."""
    imported = ImportedTranscript(text=text, turns=detect_turns(text))
    return project.add_source(imported, f"{participant}.txt", participant_id=participant, pseudonym=name)


def code_line(project: Project, source_id: str, line: int, label: str) -> None:
    project.code(source_id, *project.span_of_lines(source_id, line, line), label)
