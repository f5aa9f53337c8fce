"""What every workbench screen shares: access to the open project and refresh on change.

Screens never cache analytic state across operations: after any operation (theirs, another
screen's, an undo) `refresh_from_project` rebuilds what they show from the Project service.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from textual.css.query import NoMatches
from textual.screen import ModalScreen, Screen

from workbench.tui.textual_compat import NoRenderWhileHeld

if TYPE_CHECKING:
    from workbench.core.project import Project
    from workbench.tui.app import WorkbenchApp


class ProjectScreenMixin:
    """Typed access to the app and its current project."""

    @property
    def wb(self) -> WorkbenchApp:
        return cast("WorkbenchApp", cast(Screen[object], self).app)

    @property
    def project(self) -> Project:
        return self.wb.project

    @property
    def project_state(self) -> tuple[int, int]:
        """Which project and which committed state of it: a view built from the same pair is current."""
        project = self.wb.project
        return (id(project), project.store.seq)


class WorkbenchScreen(ProjectScreenMixin, NoRenderWhileHeld[None]):
    """A main view (one per app mode). Subclasses implement `refresh_from_project`.

    Nothing is rendered while the app holds painting (a switch of view, see
    `WorkbenchApp.switch_mode`): Textual would render the frame only to drop it (~15 ms for a full
    view), and the release repaints the whole screen anyway (`textual_compat.NoRenderWhileHeld`).
    """

    resuming = False
    """True while `refresh_from_project` answers the view being shown again (not an operation)."""

    def refresh_from_project(self) -> None:
        """Rebuild the view from the project; called on mount, on resume and after every operation."""

    def on_mount(self) -> None:
        self._refresh_unless_closing()

    def on_screen_resume(self) -> None:
        self.resuming = True
        try:
            self._refresh_unless_closing()
        finally:
            self.resuming = False

    def _refresh_unless_closing(self) -> None:
        """Refresh; a view built ahead, or shown again as the app closes (a screen popped over
        it during shutdown), finds its widgets already gone, and that is not an error."""
        try:
            self.refresh_from_project()
        except NoMatches:
            if self.app.is_running and self.is_attached and self.children:
                raise


class WorkbenchModal(ProjectScreenMixin, ModalScreen[object]):
    """A dialog over a main view (code picker, memo editor, help)."""
