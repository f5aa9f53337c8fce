"""The coefficients of METHODS.md 5.3 reproduce the ICR-10 test vectors exactly (to three decimals)."""

from __future__ import annotations

import pytest

from workbench.core.errors import BadInputError
from workbench.core.icr import metrics

QUICA_A = [0, 1, 0, 1, 0, 1]
QUICA_B = [0, 1, 0, 1, 0, 0]
ATLAS_A = [int(c) for c in "1100000000"]
ATLAS_B = [int(c) for c in "0110010100"]


def r3(value: float | None) -> float:
    assert value is not None
    return round(value, 3)


def test_quica_vector_gives_po_833_kappa_667_pi_657_alpha_686() -> None:
    assert r3(metrics.percent_agreement(QUICA_A, QUICA_B)) == 0.833
    assert r3(metrics.cohen_kappa(QUICA_A, QUICA_B)) == 0.667
    assert r3(metrics.scott_pi(QUICA_A, QUICA_B)) == 0.657
    assert r3(metrics.alpha_two_coders(QUICA_A, QUICA_B)) == 0.686


def test_atlas_vector_gives_po_60_expected_56_alpha_095_kappa_091_bp_20() -> None:
    assert r3(metrics.percent_agreement(ATLAS_A, ATLAS_B)) == 0.600
    assert r3(metrics.cohen_expected(ATLAS_A, ATLAS_B)) == 0.560
    assert r3(metrics.alpha_two_coders(ATLAS_A, ATLAS_B)) == 0.095
    assert r3(metrics.cohen_kappa(ATLAS_A, ATLAS_B)) == 0.091
    assert r3(metrics.brennan_prediger(ATLAS_A, ATLAS_B, 2)) == 0.200


def test_nvivo_example_with_100_a_only_and_50_b_only_gives_85_percent_and_kappa_318() -> None:
    result = metrics.character_agreement(1000, both=50, a_only=100, b_only=50)
    assert result.neither == 800
    assert r3(result.agreement) == 0.850
    assert r3(result.kappa) == 0.318


def test_character_counts_from_spans_match_the_counted_form() -> None:
    counted = metrics.character_counts(1000, [(0, 150)], [(100, 200)])
    assert (counted.both, counted.a_only, counted.b_only, counted.neither) == (50, 100, 50, 800)
    assert r3(counted.kappa) == 0.318


def test_binary_agreement_bundles_every_statistic_for_one_code() -> None:
    result = metrics.binary_agreement([bool(x) for x in ATLAS_A], [bool(x) for x in ATLAS_B])
    assert (result.n, result.prevalence_a, result.prevalence_b) == (10, 0.2, 0.4)
    assert r3(result.alpha) == 0.095 and r3(result.brennan_prediger) == 0.2


def test_alpha_leaves_out_units_rated_by_one_coder_only() -> None:
    with_missing = [[0, 0], [1, 1], [0, 0], [1, 1], [0, 0], [1, 0], [1, None]]
    assert metrics.krippendorff_alpha_nominal(with_missing) == metrics.alpha_two_coders(QUICA_A, QUICA_B)


def test_alpha_handles_three_coders() -> None:
    assert metrics.krippendorff_alpha_nominal([[1, 1, 1], [0, 0, 0], [1, 1, 0]]) is not None


def test_kappa_is_undefined_not_invented_when_both_coders_use_one_category() -> None:
    assert metrics.cohen_kappa([1, 1, 1], [1, 1, 1]) is None
    assert metrics.fmt(None) == "n/a"


def test_coders_rating_different_numbers_of_units_is_bad_input() -> None:
    with pytest.raises(BadInputError):
        metrics.percent_agreement([0, 1], [0])


def test_overlap_matching_pairs_segments_at_or_above_the_threshold() -> None:
    a = [metrics.Segment("S1", 0, 100, "C1"), metrics.Segment("S1", 200, 300, "C1")]
    b = [metrics.Segment("S1", 5, 100, "C1"), metrics.Segment("S1", 250, 300, "C1")]
    result = metrics.overlap_matching(a, b, threshold=0.9, categories=2)
    assert [(x.start, y.start) for x, y in result.matched] == [(0, 5)]
    assert len(result.a_only) == 1 and len(result.b_only) == 1
    assert r3(result.agreement) == 0.333  # 1 matched of 3
    assert r3(result.kappa) == -0.333  # (1/3 - 1/2) / (1 - 1/2)


def test_overlap_never_matches_different_codes() -> None:
    result = metrics.overlap_matching(
        [metrics.Segment("S1", 0, 10, "C1")], [metrics.Segment("S1", 0, 10, "C2")]
    )
    assert result.matched == ()


def test_alpha_reading_follows_krippendorffs_thresholds() -> None:
    assert metrics.interpret_alpha(0.85).startswith("reliable")
    assert metrics.interpret_alpha(0.7).startswith("tentative")
    assert metrics.interpret_alpha(0.095).startswith("below")
