"""Team coding and inter-coder agreement (METHODS.md section 5, ICR-0..ICR-10).

* `metrics` — the coefficients, pure functions checked against the ICR-10 test vectors;
* `units` — unitisation rules (ICR-5);
* `rounds` — the ICR policy (ICR-0), blind rounds over a frozen sample, codebook snapshot and unit rule
  (ICR-3/4/5), and coding within a round's layer;
* `compare` — agreement per code and overall, and the typed disagreement list (ICR-6, ICR-9);
* `adjudication` — closing a round and deciding disagreements into the consensus layer (ICR-7);
* `report` — the ICR report, disagreement log and codebook change log (5.4);
* `coders` — coder identities, display names and initials, per-coder layers (ICR-1/2);
* `merge` — bringing another coder's copy of the project in (ICR-8).

Layers: every coding names its ``coder`` and its ``layer``. Ordinary work is layer ``main``; a round's
blind coding is layer ``icr:<round name>``; adjudicated results are layer ``consensus``.
"""
