"""Generate docs/hooks.md, the hook reference, from the hookspec docstrings (the single source of truth).

Run ``python docs/gen_hooks.py`` after changing `workbench.hookspecs` or `workbench.registry`;
``python docs/gen_hooks.py --check`` exits 1 when the committed page is stale (a test runs the same check).

It reads the hooks in the order `workbench.hookspecs` defines them, their exact signatures, and the
signatures of the ``register`` callbacks and value types plugins use, so the page cannot drift from the
code. It imports only the hookspecs and registry modules, never the CLI or TUI.
"""

from __future__ import annotations

import argparse
import ast
import dataclasses
import inspect
import re
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from workbench import hookspecs, registry

OUTPUT = Path(__file__).with_name("hooks.md")
_FIELD = re.compile(r":(param (?P<name>\w+)|returns?):\s*(?P<text>.*)")


def _markdown(text: str) -> str:
    """reST inline literals (``x``) become Markdown code (`x`)."""
    return re.sub(r"``(.+?)``", r"`\1`", text)


def _blocks(docstring: str) -> Iterator[list[str]]:
    block: list[str] = []
    for line in inspect.cleandoc(docstring).splitlines():
        if line.strip():
            block.append(line)
        elif block:
            yield block
            block = []
    if block:
        yield block


def _join(lines: list[str]) -> str:
    return _markdown(" ".join(line.strip() for line in lines))


def render_docstring(docstring: str) -> list[str]:
    """Paragraphs, bullet lists and the ``:param:``/``:returns:`` fields of one docstring as Markdown."""
    out: list[str] = []
    for block in _blocks(docstring):
        if _FIELD.match(block[0]):
            fields: list[list[str]] = []
            for line in block:
                if _FIELD.match(line):
                    fields.append([line])
                else:
                    fields[-1].append(line)
            for field in fields:
                match = _FIELD.match(field[0])
                assert match is not None
                text = _join([match["text"], *field[1:]])
                if match["name"]:
                    out.append(f"- **Argument `{match['name']}`**: {text}")
                else:
                    out.append(f"- **Returns**: {text}")
            out.append("")
        elif block[0].startswith("* "):
            items: list[list[str]] = []
            for line in block:
                if line.startswith("* "):
                    items.append([line[2:]])
                else:
                    items[-1].append(line)
            out.extend(f"- {_join(item)}" for item in items)
            out.append("")
        else:
            out.extend([_join(block), ""])
    return out


def _annotation(value: object) -> str:
    if value is inspect.Parameter.empty:
        return ""
    return value if isinstance(value, str) else getattr(value, "__name__", repr(value))


def _format(name: str, signature: inspect.Signature) -> str:
    """``name(a: T, b: U = 1) -> R`` with annotations as written in the source (no quotes)."""
    parts = []
    for parameter in signature.parameters.values():
        if parameter.name == "self":
            continue
        text = parameter.name
        if parameter.annotation is not inspect.Parameter.empty:
            text += f": {_annotation(parameter.annotation)}"
        if parameter.default is not inspect.Parameter.empty:
            text += f" = {parameter.default!r}"
        parts.append(text)
    returns = _annotation(signature.return_annotation)
    return f"{name}({', '.join(parts)})" + (f" -> {returns}" if returns else "")


def _signature(name: str, function: Callable[..., Any]) -> str:
    return _format(name, inspect.signature(function))


def aliases() -> list[tuple[str, str]]:
    """The type aliases the register signatures use (``ImportFunction = Callable[...]``), from the source."""
    tree = ast.parse(inspect.getsource(registry))
    found: list[tuple[str, str]] = []
    for node in tree.body:
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            name = node.targets[0].id
            if name[0].isupper() and not name.isupper():
                # forward references ('Project') lose their quotes; literal values ('screen') keep them
                text = re.sub(r"'([A-Z]\w*)'", r"\1", ast.unparse(node.value))
                found.append((name, text.replace("'", '"')))
    return found


def hooks() -> list[tuple[str, Callable[..., Any]]]:
    """Every hookspec, in source order."""
    found = [
        (name, value)
        for name, value in vars(hookspecs).items()
        if callable(value) and hasattr(value, f"{hookspecs.PROJECT_NAME}_spec")
    ]
    return sorted(found, key=lambda item: inspect.getsourcelines(item[1])[1])


def _callback(protocol: type) -> str:
    return _format("register", inspect.signature(protocol.__call__))


def _value(cls: type) -> str:
    if not dataclasses.is_dataclass(cls):  # a plain class (ExportResult): its constructor
        signature = inspect.signature(cls).replace(return_annotation=inspect.Signature.empty)
        return _format(cls.__name__, signature)
    fields = []
    for field in dataclasses.fields(cls):
        if field.default is not dataclasses.MISSING:
            fields.append(f"{field.name}: {field.type} = {field.default!r}")
        else:
            fields.append(f"{field.name}: {field.type}")
    return f"{cls.__name__}({', '.join(fields)})"


def generate() -> str:
    lines = [
        "# Hook reference",
        "",
        "<!-- Generated by docs/gen_hooks.py from workbench/hookspecs.py and workbench/registry.py. "
        "Do not edit: run `python docs/gen_hooks.py`. -->",
        "",
        *render_docstring(hookspecs.__doc__ or ""),
        "Import `hookimpl` (and everything else a plugin needs) from the `workbench` package root; "
        "[the plugin guide](plugin-guide.md) builds a whole method plugin step by step.",
        "",
    ]
    groups = (("Contribution hooks", "register_"), ("Event hooks", "on_"))
    for title, prefix in groups:
        lines += [f"## {title}", ""]
        for name, function in hooks():
            if not name.startswith(prefix):
                continue
            lines += [
                f"### `{name}`",
                "",
                "```python",
                f"@hookimpl\ndef {_signature(name, function)}: ...",
                "```",
                "",
            ]
            lines += render_docstring(function.__doc__ or "")
    lines += [
        "## The `register` callbacks",
        "",
        "Each `register_*` hook receives one of these callables; the type names are importable from "
        "`workbench` for annotations.",
        "",
    ]
    for hook_name, function in hooks():
        annotation = inspect.signature(function).parameters.get("register")
        if annotation is None:
            continue
        protocol = getattr(registry, str(annotation.annotation))
        lines += [
            f"- `{hook_name}`: `{protocol.__name__}`",
            "",
            f"  ```python\n  {_callback(protocol)}\n  ```",
            "",
        ]
    lines += ["The type names in these signatures stand for:", "", "```python"]
    lines += [f"{name} = {value}" for name, value in aliases()]
    lines += ["```", ""]
    lines += [
        "## Values plugins build",
        "",
        "Also importable from the `workbench` package root.",
        "",
    ]
    for cls in (
        registry.Term,
        registry.WorkflowStep,
        registry.Finding,
        registry.TableData,
        registry.ExportResult,
        registry.ReadAccount,
    ):
        summary = (cls.__doc__ or "").strip().split("\n\n")[0]
        lines += [
            f"### `{cls.__name__}`",
            "",
            "```python",
            _value(cls),
            "```",
            "",
            _join(summary.splitlines()),
            "",
        ]
    return "\n".join(lines).rstrip("\n") + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--check", action="store_true", help="exit 1 if docs/hooks.md is not up to date")
    args = parser.parse_args(argv)
    text = generate()
    if args.check:
        if not OUTPUT.is_file() or OUTPUT.read_text(encoding="utf-8") != text:
            print(f"{OUTPUT} is out of date: run `python docs/gen_hooks.py`", file=sys.stderr)
            return 1
        return 0
    OUTPUT.write_text(text, encoding="utf-8")
    print(f"wrote {OUTPUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
