"""The Textual shell: a thin layer of screens over `workbench.core.project.Project`.

Nothing here holds analytic rules; every change goes through `WorkbenchApp.run_op`, which calls
the Project service, reports a `WorkbenchError` as a notification and tells the screens to refresh.
"""
