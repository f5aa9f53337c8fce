"""The public API of team coding and research governance, for plugins (the bundled `wb_team` and others).

A plugin imports from the `workbench` package root and, for this part of the host, from this module —
never from `workbench.core`. The functions live in `workbench.core.icr` (agreement, blind rounds,
adjudication, merging coders' copies) and `workbench.core.governance` (roles, withdrawal, redaction,
identity key, clipboard, COREQ, identifiability checks); each module's docstring says why it is shaped
as it is. Whole modules are re-exported where a plugin uses most of them (`anonlog`, `redaction`,
`clipboard`, `identity_key`).
"""

from __future__ import annotations

from workbench.core.governance import anonlog, clipboard, identity_key, redaction
from workbench.core.governance.checks import loose_permissions, pseudonym_registry, small_cells
from workbench.core.governance.coreq import COLUMNS, checklist, set_answer
from workbench.core.governance.identifiers import KINDS, Suggestion
from workbench.core.governance.roles import config, role_of, set_role
from workbench.core.governance.withdrawal import withdraw
from workbench.core.icr.adjudication import close_round, decide
from workbench.core.icr.coders import coders, initials, initials_of, set_coder
from workbench.core.icr.merge import merge_project
from workbench.core.icr.report import (
    CHANGE_COLUMNS,
    DISAGREEMENT_COLUMNS,
    REPORT_COLUMNS,
    codebook_change_rows,
    disagreement_rows,
    report_rows,
)
from workbench.core.icr.rounds import (
    POLICY_TEXT,
    code_in_round,
    create_round,
    get_round,
    layer_codings,
    policy,
    rounds,
    set_policy,
    units_in,
)

__all__ = [
    "CHANGE_COLUMNS",
    "COLUMNS",
    "DISAGREEMENT_COLUMNS",
    "KINDS",
    "POLICY_TEXT",
    "REPORT_COLUMNS",
    "Suggestion",
    "anonlog",
    "checklist",
    "clipboard",
    "close_round",
    "code_in_round",
    "codebook_change_rows",
    "coders",
    "config",
    "create_round",
    "decide",
    "disagreement_rows",
    "get_round",
    "identity_key",
    "initials",
    "initials_of",
    "layer_codings",
    "loose_permissions",
    "merge_project",
    "policy",
    "pseudonym_registry",
    "redaction",
    "report_rows",
    "role_of",
    "rounds",
    "set_answer",
    "set_coder",
    "set_policy",
    "set_role",
    "small_cells",
    "units_in",
    "withdraw",
]
