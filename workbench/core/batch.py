"""Batch: a JSON-lines file of operations applied in one open, as one undo step, all or nothing.

Each line is one JSON object: ``"op"`` (``code``, ``uncode``, ``memo``, ``codebook``, ``participant``)
and the same fields as that command's CLI arguments and flags (README, "Batch"). Lines are read in
order; blank lines are skipped.

How all or nothing is kept: first every line is parsed and checked for its shape (JSON, a known op,
known fields of the right types, one span). Then the operations run through the very `Project` calls
the CLI commands make, so each is checked exactly as it would be on its own, against the project as
the lines before it left it (a code the first line created is there for the second), inside
`Project._one_step`: each is applied in memory as it goes and keeps its own audit event, and when the
last one is done they are journaled as ONE store entry together with one history entry holding all
their changes, so one `workbench undo` takes the whole batch back. A refusal on any line is one
error naming that line (``ops.jsonl line 7: ...``); memory is put back and nothing reaches the disk.
"""

from __future__ import annotations

import gc
import json
import re
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from workbench.core.errors import BadInputError, WorkbenchError
from workbench.core.project import CODE_KINDS, Project

HISTORY_ACTION = "batch"

_LINE_RANGE = re.compile(r"([0-9]+)(?:-([0-9]+))?", re.ASCII)  # as `workbench code --lines`
_CHAR_RANGE = re.compile(r"([0-9]+):([0-9]+)", re.ASCII)  # as `workbench code --chars`
_BOM = b"\xef\xbb\xbf"


@dataclass(frozen=True)
class _Spec:
    """The fields of one op: its CLI arguments and flags under the same names."""

    required: tuple[str, ...]
    optional: tuple[str, ...] = ()
    lists: tuple[str, ...] = ()  # repeatable flags and ARG...: a list of strings (or one string)

    @property
    def fields(self) -> tuple[str, ...]:
        return (*self.required, *self.optional, *self.lists)


SPECS: dict[str, _Spec] = {
    "code": _Spec(("source", "label"), ("lines", "chars", "coder", "memo", "kind")),
    "uncode": _Spec(("source", "label"), ("lines", "chars", "coder")),
    "memo": _Spec(("title", "body"), ("type",), ("link",)),
    "codebook": _Spec(("action",), ("parent", "level", "kind"), ("args",)),
    "participant": _Spec(("id",), ("pseudonym",), ("attr",)),
}
OPS = tuple(SPECS)

# codebook action -> (least, most) ARGs, as `workbench codebook ACTION ARG...`; None: no upper bound.
CODEBOOK_ARGS: dict[str, tuple[int, int | None, str]] = {
    "create": (1, 1, "LABEL"),
    "rename": (2, 2, "OLD NEW"),
    "redefine": (2, 2, "LABEL DEFINITION"),
    "move": (1, 2, "LABEL [PARENT]"),
    "level": (2, 2, "LABEL LEVEL"),
    "retire": (1, 1, "LABEL"),
    "merge": (2, None, "CODE... TARGET"),
    "split": (2, None, "LABEL CODING_ID=NEW_LABEL..."),
    "snapshot": (1, 1, "NAME"),
}

# Where a `Project` call says the fault is (its CLI argument's name) -> the batch field of that name.
_FIELD_OF = {
    "SOURCE_ID": "source",
    "LABEL": "label",
    "--lines": "lines",
    "--chars": "chars",
    "--coder": "coder",
    "--memo": "memo",
    "--kind": "kind",
    "--title": "title",
    "--body": "body",
    "--link": "link",
    "--type": "type",
    "--parent": "parent",
    "--level": "level",
    "--pseudonym": "pseudonym",
    "--attr": "attr",
    "PARTICIPANT": "id",
}


@dataclass(frozen=True)
class Operation:
    """One line of a batch, its shape checked: `fields` holds only the fields the line gave."""

    line: int
    op: str
    fields: Mapping[str, Any]

    @property
    def name(self) -> str:
        """`code`, `memo`, ... and for codebook its action too (`codebook rename`)."""
        return f"codebook {self.fields['action']}" if self.op == "codebook" else self.op


@dataclass(frozen=True)
class BatchResult:
    """What a batch did: how many operations of each kind, and each line's result (an id, a count)."""

    source: str
    applied: int
    counts: dict[str, int] = field(default_factory=dict)
    results: list[tuple[int, str, Any]] = field(default_factory=list)  # (line, op name, result)
    summary: str = ""

    def to_json(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "applied": self.applied,
            "operations": dict(self.counts),
            "undo": self.summary,
            "results": [{"line": line, "op": name, "result": value} for line, name, value in self.results],
        }


# -- reading -----------------------------------------------------------------------------------------------
class _Duplicate(ValueError):
    pass


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise _Duplicate(key)
        out[key] = value
    return out


def _kind_of(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true or false"
    return {dict: "an object", list: "a list", str: "a string", int: "a number", float: "a number"}.get(
        type(value), type(value).__name__
    )


def read_operations(data: bytes, name: str) -> list[Operation]:
    """Every operation of a batch, each line's shape checked; the first bad line is one error."""
    operations, error = _read(data, name)
    if error is not None:
        raise error
    return operations


def _read(data: bytes, name: str) -> tuple[list[Operation], BadInputError | None]:
    """The operations up to the first line whose shape is wrong, and that line's error (or None)."""
    operations: list[Operation] = []
    for number, raw in enumerate(data.split(b"\n"), start=1):
        if number == 1 and raw.startswith(_BOM):
            raw = raw[len(_BOM) :]
        try:
            operation = _line(raw.removesuffix(b"\r"), number)
        except BadInputError as exc:
            return operations, BadInputError(f"{exc.message}; nothing was applied", f"{name} line {number}")
        if operation is not None:
            operations.append(operation)
    return operations, None


def _line(raw: bytes, number: int) -> Operation | None:
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise BadInputError(f"is not UTF-8 (byte {exc.start + 1}); write the file as UTF-8") from None
    if not text.strip():
        return None
    try:
        value = json.loads(text, object_pairs_hook=_no_duplicates)
    except _Duplicate as exc:
        raise BadInputError(f"field {exc.args[0]!r} is given twice") from None
    except json.JSONDecodeError as exc:
        raise BadInputError(f"not JSON ({exc.msg} at column {exc.colno})") from None
    except RecursionError:
        raise BadInputError("not JSON this tool reads (nested too deeply)") from None
    if not isinstance(value, dict):
        raise BadInputError(f'expected a JSON object such as {{"op": "code", ...}}, got {_kind_of(value)}')
    op = value.get("op")
    if "op" not in value:
        raise BadInputError(f'no "op" field; give one of {", ".join(OPS)}')
    if not isinstance(op, str) or op not in SPECS:
        shown = repr(op) if isinstance(op, str) else _kind_of(op)
        raise BadInputError(f"unknown op {shown}; ops are {', '.join(OPS)}")
    spec = SPECS[op]
    fields: dict[str, Any] = {}
    for key, item in value.items():
        if key == "op":
            continue
        if key not in spec.fields:
            raise BadInputError(f"{op}: unknown field {key!r}; {op} takes {', '.join(spec.fields)}")
        if item is None and key not in spec.required:
            continue  # null: not given, as a flag left out
        if key in spec.lists:
            items = [item] if isinstance(item, str) else item
            if not isinstance(items, list) or not all(isinstance(i, str) for i in items):
                raise BadInputError(f"{op}: {key!r} must be a list of strings, not {_kind_of(item)}")
            fields[key] = items
        elif not isinstance(item, str):
            raise BadInputError(f"{op}: {key!r} must be a string, not {_kind_of(item)}")
        else:
            fields[key] = item
    missing = [key for key in spec.required if key not in fields]
    if missing:
        raise BadInputError(f"{op}: {', '.join(repr(k) for k in missing)} is required")
    _check(op, fields)
    return Operation(number, op, fields)


def _check(op: str, fields: dict[str, Any]) -> None:
    """What the CLI's parser refuses before a command runs: choices, one span, the number of ARGs."""
    if op in ("code", "uncode") and ("lines" in fields) == ("chars" in fields):
        raise BadInputError(f'{op}: give one of "lines" ("A-B") or "chars" ("START:END")')
    kind = fields.get("kind")
    if kind is not None and kind not in CODE_KINDS:
        raise BadInputError(f"{op}: unknown kind {kind!r}; use one of {', '.join(CODE_KINDS)}")
    if op != "codebook":
        return
    action = fields["action"]
    if action not in CODEBOOK_ARGS:
        hint = "; it changes nothing, run `workbench codebook DIR lineage`" if action == "lineage" else ""
        raise BadInputError(
            f"codebook: unknown action {action!r}{hint}; actions are {', '.join(CODEBOOK_ARGS)}"
        )
    extra = [key for key in ("parent", "level", "kind") if key in fields and action != "create"]
    if extra:
        raise BadInputError(f"codebook {action}: {extra[0]!r} is only for codebook create")
    least, most, usage = CODEBOOK_ARGS[action]
    given = len(fields.get("args", ()))
    if given < least or (most is not None and given > most):
        raise BadInputError(f'codebook {action}: "args" must be [{usage}], got {given} argument(s)')


# -- applying ----------------------------------------------------------------------------------------------
def apply_batch(project: Project, data: bytes, name: str) -> BatchResult:
    """Apply every operation of the batch `data` (named `name` in messages) as one undo step.

    All or nothing: the first line that is malformed or that its command would refuse raises one
    error naming that line, and the project is left as it was, in memory and on disk.

    The cyclic garbage collector is paused meanwhile, as `Store` does while loading: a batch makes
    hundreds of thousands of small objects, and each full collection they set off rescans the whole
    open project (10,000 codings on the benchmark's large project: three of them, 0.3 s of 1.8 s).
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        return _apply_batch(project, data, name)
    finally:
        if enabled:
            gc.enable()


def _apply_batch(project: Project, data: bytes, name: str) -> BatchResult:
    operations, error = _read(data, name)
    if error is not None and not operations:
        raise error
    label = Path(name).name or name
    if not operations:
        return BatchResult(label, 0, summary="")
    counts = Counter(operation.name for operation in operations)
    parts = ", ".join(f"{op} {count:,}" for op, count in counts.items())
    summary = f"batch of {len(operations):,} operation{'s' * (len(operations) != 1)} from {label} ({parts})"
    results: list[tuple[int, str, Any]] = []
    with project._one_step(HISTORY_ACTION, summary):
        for operation in operations:
            try:
                results.append((operation.line, operation.name, _apply(project, operation)))
            except WorkbenchError as exc:
                raise _at(exc, name, operation) from None
        if error is not None:  # the lines before it were sound: this one is the first bad line
            raise error
    return BatchResult(label, len(operations), dict(counts), results, summary)


def _at(exc: WorkbenchError, name: str, operation: Operation) -> WorkbenchError:
    """The refusal of a `Project` call, said of its line: `ops.jsonl line 7: code "chars": ...`."""
    said = exc.where or ""
    fault = said if said in SPECS[operation.op].fields else _FIELD_OF.get(said)
    if operation.op == "codebook" and said.isupper() and fault not in SPECS["codebook"].fields:
        fault = "args"  # the codebook calls name their positional arguments (NEW_LABEL, PARENT, ...)
    if fault is not None:
        message = f'{operation.name} "{fault}": {exc.message}'
    else:  # somewhere else (`S1` for a span already coded), or nowhere in particular
        message = f"{operation.name}: {said + ': ' if said else ''}{exc.message}"
    message += "; nothing was applied"
    where = f"{name} line {operation.line}"
    try:
        return type(exc)(message, where)
    except TypeError:  # a subclass with other arguments: keep what the shells need, the exit code
        plain = WorkbenchError(message, where)
        plain.exit_code = exc.exit_code
        return plain


def _apply(project: Project, operation: Operation) -> Any:
    """One line, as its CLI command does it; returns what the command reports (an id, a count)."""
    f = operation.fields
    op = operation.op
    if op == "code":
        start, end, unit = _span(project, f)
        return project.code(
            f["source"],
            start,
            end,
            f["label"],
            coder=f.get("coder"),
            unit=unit,
            memo=f.get("memo"),
            kind=f.get("kind"),
        )
    if op == "uncode":
        start, end, _unit = _span(project, f)
        return project.uncode(f["source"], start, end, f["label"], coder=f.get("coder"))
    if op == "memo":
        return project.write_memo(
            f["title"], f["body"], links=f.get("link", ()), memo_type=f.get("type", "analytic")
        )
    if op == "participant":
        project.update_participant(f["id"], pseudonym=f.get("pseudonym"), attributes=_pairs(f.get("attr")))
        return f["id"]
    return _codebook(project, f["action"], f.get("args", []), f)


def _codebook(project: Project, action: str, a: list[str], f: Mapping[str, Any]) -> Any:
    if action == "create":
        return project.create_code(a[0], parent=f.get("parent"), level=f.get("level"), kind=f.get("kind"))
    if action == "rename":
        return project.rename_code(a[0], a[1])
    if action == "redefine":
        return project.redefine_code(a[0], a[1])
    if action == "move":
        return project.move_code(a[0], a[1] if len(a) > 1 else None)
    if action == "level":
        return project.set_code_level(a[0], a[1])
    if action == "retire":
        return project.retire_code(a[0])
    if action == "merge":
        return project.merge_codes(a[:-1], a[-1])
    if action == "split":
        assignments = dict(pair.split("=", 1) for pair in a[1:] if "=" in pair)
        if len(assignments) != len(a) - 1:
            raise BadInputError("split assignments look like CODING_ID=NEW_LABEL", "args")
        return project.split_code(a[0], assignments)
    return project.snapshot_codebook(a[0])


def _span(project: Project, f: Mapping[str, Any]) -> tuple[int, int, str]:
    """`lines` ("A-B" or "A", tool line numbers) or `chars` ("START:END"), as `code --lines/--chars`."""
    if "lines" in f:
        match = _LINE_RANGE.fullmatch(f["lines"].strip())
        if match is None:
            raise BadInputError(f"expected A-B line numbers, got {f['lines']!r}", "lines")
        first = int(match[1])
        start, end = project.span_of_lines(f["source"], first, int(match[2] or first))
        return start, end, "line"
    match = _CHAR_RANGE.fullmatch(f["chars"].strip())
    if match is None:
        raise BadInputError(f"expected START:END code-point offsets, got {f['chars']!r}", "chars")
    return int(match[1]), int(match[2]), "character"


def _pairs(values: list[str] | None) -> dict[str, str]:
    """`attr` items, KEY=VALUE each, as `workbench participant --attr`."""
    out: dict[str, str] = {}
    for value in values or []:
        key, sep, item = value.partition("=")
        if not sep or not key.strip():
            raise BadInputError(f"expected KEY=VALUE, got {value!r}", "attr")
        out[key.strip()] = item.strip()
    return out
