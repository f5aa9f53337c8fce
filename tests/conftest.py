"""Shared test set-up: the fixtures plugin authors get (`wb_host`, `wb_register`, `wb_project`)."""

pytest_plugins = ["workbench.testing"]
