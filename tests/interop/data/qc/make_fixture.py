"""Build the qc (qualitative-coding) test fixtures in this folder with the real tool.

The tests never need qc: they read the projects this script wrote, committed beside it. To rebuild them,
install qc in venvs of its own (it is on the package index) and run this script with the newer one:

    python3 -m venv /tmp/qcvenv && /tmp/qcvenv/bin/pip install qualitative-coding==1.7.8
    python3 -m venv /tmp/qc0venv && /tmp/qc0venv/bin/pip install qualitative-coding==0.2.3
    /tmp/qcvenv/bin/python tests/interop/data/qc/make_fixture.py --old-python /tmp/qc0venv/bin/python

What it writes (synthetic people and words only):

* ``qc-1.7.8/``: a project made by qc 1.7.8's own command line: ``qc init``, ``qc corpus import
  --importer verbatim`` of two texts (one in a sub-folder of the corpus, with CRLF line breaks),
  ``qc code CODER`` for two coders and ``qc memo CODER`` twice. qc codes in an editor; the "editor" here
  is this script (``--editor``), named in settings.yaml as qc's custom editors are, which writes the
  codes file qc hands it from a plan of line -> codes. The codebook is then arranged into a tree with
  qc's own `TreeNode` (what a researcher does by editing codebook.yaml), and the editor setting is put
  back to a vim command as a person would keep it. ``qc check`` passes on the result.
  ``expected.json`` is qc's own account of the codings, by qc's API: (document, line, coder, code) from
  ``QCCorpus.get_coded_lines`` and the line's character positions from qc's REFI-QDA exporter
  (``REFIQDAWriter.line_positions``: start, and end including the line break).
* ``qc-0.2.3/``: a project of the older layout (per-coder ``codes/TEXT.CODER.codes`` files of
  comma-separated codes, one line per corpus line), made by qc 0.2.3's API (``QCCorpus.initialize``,
  ``write_codes``, ``update_codebook``) as its command line codes only through vim.

The log file qc writes is left out (it names this machine's temporary paths).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
NEW = HERE / "qc-1.7.8"
OLD = HERE / "qc-0.2.3"

P01 = (
    "Interviewer: How did the first week on the ward feel?\n"
    "\n"
    "Alex: Honestly, I was relieved. The café downstairs became my refuge ☕.\n"
    "Alex: But the nights worried me; nobody explained the handover.\n"
    "\n"
    "Interviewer: And later on?\n"
    "\n"
    "Alex: Later it was just busy, always busy.\n"
)
P02 = (
    "Interviewer: What changed after the rota moved?\r\n"
    "\r\n"
    "Sam: Fewer night shifts, so less worry.\r\n"
    "Sam: Still, the workload is heavy.\r\n"
)
#: (coder, corpus path, {line: codes as typed in qc's codes file})
PLAN = [
    ("rowan", "p01.txt", {2: "relief", 3: "night_worry, handover", 7: "workload"}),
    ("kit", "p01.txt", {2: "relief", 3: "worry"}),
    ("rowan", "followup/p02.txt", {2: "night_worry, relief", 3: "workload"}),
]
MEMOS = [
    ("rowan", "first impressions", "Relief and worry sit side by side in p01.\n"),
    ("kit", None, "Handover keeps coming up; ask about it in follow-ups.\n"),
]
#: The codebook after a researcher arranged it (qc's TreeNode representation).
TREE = [
    {"feelings": ["relief", {"worry": ["night_worry"]}]},
    "handover",
    {"workload": ["staffing"]},
]


def editor(corpus_file: str, codes_file: str) -> None:
    """qc's custom editor for coding: write the codes file from the plan in QC_FIXTURE_PLAN."""
    plan = json.loads(os.environ["QC_FIXTURE_PLAN"])
    lines = Path(corpus_file).read_text(encoding="utf-8").splitlines()
    Path(codes_file).write_text(
        "\n".join(plan.get(str(number), "") for number in range(len(lines))) + "\n", encoding="utf-8"
    )


def memo_editor(memo_file: str) -> None:
    """qc's custom editor for memos: append QC_FIXTURE_MEMO to the memo qc started."""
    path = Path(memo_file)
    path.write_text(path.read_text(encoding="utf-8") + os.environ["QC_FIXTURE_MEMO"], encoding="utf-8")


def qc(folder: Path, *args: str, env: dict[str, str] | None = None) -> None:
    command = [str(Path(sys.executable).with_name("qc")), *args]
    result = subprocess.run(
        command, cwd=folder, env={**os.environ, **(env or {})}, capture_output=True, text=True
    )
    if result.returncode != 0 or "Error" in result.stderr:
        raise SystemExit(f"{' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")


def build_new() -> None:
    import yaml  # qc's own dependency, in qc's venv
    from qualitative_coding.corpus import QCCorpus
    from qualitative_coding.refi_qda.writer import REFIQDAWriter
    from qualitative_coding.tree_node import TreeNode

    with tempfile.TemporaryDirectory() as scratch:
        project = Path(scratch) / "project"
        project.mkdir()
        qc(project, "init")
        settings_path = project / "settings.yaml"
        settings = yaml.safe_load(settings_path.read_text())
        me = f"{sys.executable} {Path(__file__).resolve()}"
        settings["editors"] = {
            "fixture": {
                "name": "fixture editor",
                "code_command": me + ' --editor "{corpus_file_path}" "{codes_file_path}"',
                "memo_command": me + ' --memo-editor "{memo_file_path}"',
            }
        }
        settings["editor"] = "fixture"
        settings_path.write_text(yaml.dump(settings))  # as qc's own QCMigration.set_setting writes it
        staging = Path(scratch) / "texts"
        (staging / "followup").mkdir(parents=True)
        (staging / "p01.txt").write_bytes(P01.encode("utf-8"))
        (staging / "followup" / "p02.txt").write_bytes(P02.encode("utf-8"))
        qc(project, "corpus", "import", str(staging / "p01.txt"), "--importer", "verbatim")
        qc(
            project,
            "corpus",
            "import",
            str(staging / "followup" / "p02.txt"),
            "--importer",
            "verbatim",
            "--corpus-root",
            "followup",
        )
        for coder, document, lines in PLAN:
            file_list = Path(scratch) / "files.txt"
            file_list.write_text(document)
            plan = json.dumps({str(k): v for k, v in lines.items()})
            qc(project, "code", coder, "-f", str(file_list), env={"QC_FIXTURE_PLAN": plan})
        for coder, message, body in MEMOS:
            args = ["memo", coder] + (["-m", message] if message else [])
            qc(project, *args, env={"QC_FIXTURE_MEMO": body})
        TreeNode.write_yaml(project / "codebook.yaml", TreeNode({TreeNode.root: TREE}))
        settings = yaml.safe_load(settings_path.read_text())
        settings["editors"] = {
            "vim_with_linenums": {
                "name": "Vim",
                "code_command": (
                    'vim "{codes_file_path}" -c :set nu -c :set scrollbind '
                    "-c :83vsplit|view {corpus_file_path}|set scrollbind"
                ),
                "memo_command": 'vim "{memo_file_path}"',
            }
        }
        settings["editor"] = "vim_with_linenums"
        settings_path.write_text(yaml.dump(settings))
        qc(project, "check")
        corpus = QCCorpus(settings_path)
        writer = REFIQDAWriter(settings_path)
        expected = []
        with corpus.session():
            for code, coder, line, document in corpus.get_coded_lines():
                start, end = writer.line_positions(document)[line]
                expected.append(
                    {
                        "document": document,
                        "line": line,
                        "coder": coder,
                        "code": code,
                        "start": start,
                        "end_with_line_break": end,
                    }
                )
        expected.sort(key=lambda e: (e["document"], e["line"], e["coder"], e["code"]))
        (project / "qualitative_coding.log").unlink(missing_ok=True)
        shutil.rmtree(NEW, ignore_errors=True)
        shutil.copytree(project, NEW)
    (HERE / "expected.json").write_text(json.dumps(expected, indent=1, ensure_ascii=False) + "\n")


OLD_SCRIPT = r"""
import sys
from pathlib import Path
from qualitative_coding.corpus import QCCorpus
from qualitative_coding.tree_node import TreeNode

P01, TREE = sys.argv[1], eval(sys.argv[2])
QCCorpus.initialize("settings.yaml")  # writes settings.yaml
QCCorpus.initialize("settings.yaml")  # makes the folders and the codebook
corpus = QCCorpus("settings.yaml")
text = corpus.corpus_dir / "p01.txt"
text.write_bytes(P01.encode("utf-8"))
corpus.write_codes(text, "rowan", [(2, "relief"), (3, "night_worry"), (3, "handover"), (7, "workload")])
corpus.write_codes(text, "kit", [(2, "relief"), (3, "worry")])
corpus.update_codebook()
TreeNode.write_yaml(corpus.codebook, TreeNode({TreeNode.root: TREE}))
"""


def build_old(python: str) -> None:
    with tempfile.TemporaryDirectory() as scratch:
        project = Path(scratch) / "project"
        project.mkdir()
        subprocess.run([python, "-c", OLD_SCRIPT, P01, repr(TREE)], cwd=project, check=True)
        shutil.rmtree(project / "logs", ignore_errors=True)
        shutil.rmtree(OLD, ignore_errors=True)
        shutil.copytree(project, OLD)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--editor", nargs=2, metavar=("CORPUS_FILE", "CODES_FILE"))
    parser.add_argument("--memo-editor", metavar="MEMO_FILE")
    parser.add_argument("--old-python", help="python of a venv with qualitative-coding==0.2.3")
    args = parser.parse_args()
    if args.editor:
        editor(*args.editor)
    elif args.memo_editor:
        memo_editor(args.memo_editor)
    else:
        build_new()
        if args.old_python:
            build_old(args.old_python)


if __name__ == "__main__":
    main()
