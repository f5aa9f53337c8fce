"""Shared test set-up: the fixtures plugin authors get (`wb_host`, `wb_register`, `wb_project`).

`workbench.testing` also points ``WORKBENCH_CACHE_DIR`` at a temporary folder for the session; some
tests drop every ``WORKBENCH_*`` variable from a child's environment, so ``XDG_CACHE_HOME`` points at a
temporary folder too: no test writes the plugin-command cache into the user's home.
"""

import atexit
import os
import shutil
import tempfile

pytest_plugins = ["workbench.testing"]

_CACHE = tempfile.mkdtemp(prefix="wb-test-xdg-cache-")
atexit.register(shutil.rmtree, _CACHE, ignore_errors=True)
os.environ["XDG_CACHE_HOME"] = _CACHE
