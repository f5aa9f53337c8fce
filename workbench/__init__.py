"""Qualitative Workbench: the public API for plugin authors.

A plugin needs only this package root::

    from workbench import ImportedTranscript, decode_transcript, detect_turns, hookimpl

    @hookimpl
    def register_importers(register):
        register("myformat", [".my"], load)

Everything except `hookimpl` and `__version__` is imported on first use (module `__getattr__`), so
``import workbench`` stays cheap for the CLI's ``--help`` and for plugin discovery.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

import pluggy

from workbench._version import __version__

#: Marks a function as the implementation of a hook in `workbench.hookspecs`.
hookimpl = pluggy.HookimplMarker("workbench")

# public name -> module that defines it; resolved lazily by __getattr__ below.
_LAZY: dict[str, str] = {
    "ImportedTranscript": "workbench.core.model",
    "TranscriberNote": "workbench.core.model",
    "Turn": "workbench.core.model",
    "WorkbenchError": "workbench.core.errors",
    "BadInputError": "workbench.core.errors",
    "decode_transcript": "workbench.core.text",
    "NotFoundError": "workbench.core.errors",
    "Project": "workbench.core.project",
    "OperationEvent": "workbench.core.project",
    "open_project": "workbench.cli.session",
    "plugin_host": "workbench.cli.session",
    "write_private_file": "workbench.core.store.fsutil",
    "print_json": "workbench.cli.session",
    "format_citation": "workbench.core.text",
    "natural_key": "workbench.core.ids",
    "write_table": "workbench.tables",
    "docx_bytes": "workbench.tables",
    "render_markdown": "workbench.tables",
    "detect_turns": "workbench.core.text",
    "Scrubber": "workbench.core.untrusted",
    "open_sqlite_read_only": "workbench.core.sqlite_read",
    "PagingOptionList": "workbench.tui.widgets.lists",
    "import_content": "workbench.core.bulk",
    "dump_project": "workbench.core.bulk",
    "restore_archive": "workbench.core.bulk",
    "ProjectDump": "workbench.core.bulk",
    "VersionText": "workbench.core.bulk",
    **{
        name: "workbench.core.content"
        for name in (
            "Content",
            "ContentCluster",
            "ContentCode",
            "ContentCoding",
            "ContentLink",
            "ContentMemo",
            "ContentParticipant",
            "ContentRecord",
            "ContentRevision",
            "ContentSegment",
            "ContentSet",
            "ContentSource",
            "ImportReport",
        )
    },
    **{
        name: "workbench.registry"
        for name in (
            "CaseAccess",
            "CaseRule",
            "CommandSpec",
            "ExportResult",
            "Exporter",
            "FidelityItem",
            "Finding",
            "Importer",
            "ProjectFormat",
            "ProjectRead",
            "ReadAccount",
            "TableData",
            "TableSpec",
            "Term",
            "Validator",
            "ViewSpec",
            "Vocabulary",
            "Workflow",
            "WorkflowStep",
            "RegisterCaseRule",
            "RegisterCommand",
            "RegisterExporter",
            "RegisterImporter",
            "RegisterProjectFormat",
            "RegisterTable",
            "RegisterValidator",
            "RegisterView",
            "RegisterVocabulary",
            "RegisterWorkflow",
        )
    },
}

# Spelled out (not derived from _LAZY) so type checkers see the re-exports; a test keeps the two in step.
__all__ = [
    "BadInputError",
    "CaseAccess",
    "CaseRule",
    "CommandSpec",
    "Content",
    "ContentCluster",
    "ContentCode",
    "ContentCoding",
    "ContentLink",
    "ContentMemo",
    "ContentParticipant",
    "ContentRecord",
    "ContentRevision",
    "ContentSegment",
    "ContentSet",
    "ContentSource",
    "ExportResult",
    "Exporter",
    "FidelityItem",
    "Finding",
    "ImportReport",
    "ImportedTranscript",
    "Importer",
    "NotFoundError",
    "OperationEvent",
    "PagingOptionList",
    "Project",
    "ProjectDump",
    "ProjectFormat",
    "ProjectRead",
    "ReadAccount",
    "RegisterCaseRule",
    "RegisterCommand",
    "RegisterExporter",
    "RegisterImporter",
    "RegisterProjectFormat",
    "RegisterTable",
    "RegisterValidator",
    "RegisterView",
    "RegisterVocabulary",
    "RegisterWorkflow",
    "Scrubber",
    "TableData",
    "TableSpec",
    "Term",
    "TranscriberNote",
    "Turn",
    "Validator",
    "VersionText",
    "ViewSpec",
    "Vocabulary",
    "WorkbenchError",
    "Workflow",
    "WorkflowStep",
    "__version__",
    "decode_transcript",
    "detect_turns",
    "docx_bytes",
    "dump_project",
    "format_citation",
    "hookimpl",
    "import_content",
    "natural_key",
    "open_project",
    "open_sqlite_read_only",
    "plugin_host",
    "print_json",
    "render_markdown",
    "restore_archive",
    "write_private_file",
    "write_table",
]

if TYPE_CHECKING:
    from workbench.cli.session import open_project, plugin_host, print_json
    from workbench.core.bulk import ProjectDump, VersionText, dump_project, import_content, restore_archive
    from workbench.core.content import (
        Content,
        ContentCluster,
        ContentCode,
        ContentCoding,
        ContentLink,
        ContentMemo,
        ContentParticipant,
        ContentRecord,
        ContentRevision,
        ContentSegment,
        ContentSet,
        ContentSource,
        ImportReport,
    )
    from workbench.core.errors import BadInputError, NotFoundError, WorkbenchError
    from workbench.core.ids import natural_key
    from workbench.core.model import ImportedTranscript, TranscriberNote, Turn
    from workbench.core.project import OperationEvent, Project
    from workbench.core.sqlite_read import open_sqlite_read_only
    from workbench.core.store.fsutil import write_private_file
    from workbench.core.text import decode_transcript, detect_turns, format_citation
    from workbench.core.untrusted import Scrubber
    from workbench.registry import (
        CaseAccess,
        CaseRule,
        CommandSpec,
        Exporter,
        ExportResult,
        FidelityItem,
        Finding,
        Importer,
        ProjectFormat,
        ProjectRead,
        ReadAccount,
        RegisterCaseRule,
        RegisterCommand,
        RegisterExporter,
        RegisterImporter,
        RegisterProjectFormat,
        RegisterTable,
        RegisterValidator,
        RegisterView,
        RegisterVocabulary,
        RegisterWorkflow,
        TableData,
        TableSpec,
        Term,
        Validator,
        ViewSpec,
        Vocabulary,
        Workflow,
        WorkflowStep,
    )
    from workbench.tables import docx_bytes, render_markdown, write_table
    from workbench.tui.widgets.lists import PagingOptionList


def __getattr__(name: str) -> Any:
    """Import a public name's module on first access and cache the name in this module."""
    module_name = _LAZY.get(name)
    if module_name is None:
        raise AttributeError(f"module 'workbench' has no attribute {name!r}")
    value = getattr(importlib.import_module(module_name), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_LAZY})
