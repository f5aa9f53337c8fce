"""The lexical analysis toolkit: corpus search with keyword-in-context, auto-coding, word frequencies.

Core services (no Textual), shared by `workbench search|autocode|words` and the terminal workbench:
`query` (the query language), `matching` (hits in one transcript), `corpus` (hits across a project,
with filters and KWIC), `autocode` (hits coded as one operation), `frequency` (word counts).
"""
