"""The code picker: fuzzy ranking, creating a new label, keys, and speed with hundreds of codes."""

from __future__ import annotations

import statistics
import time
from collections.abc import Sequence

from textual.app import App
from textual.widgets import OptionList

from workbench.tui.screens.code_picker import CREATE_ID, CodePicker, PickerCode, fuzzy_score, rank_codes

CODES = [
    PickerCode("Feeling understood", 3),
    PickerCode("Hope", 5),
    PickerCode("Hope and despair", 1),
    PickerCode("Shopping for peers", 2),
    PickerCode("Peer role", 0),
]


class PickerApp(App[None]):
    """Just the picker, over an empty screen; records what it dismissed with."""

    def __init__(self, codes: Sequence[PickerCode]) -> None:
        super().__init__()
        self.codes = list(codes)
        self.result: str | None = "(still open)"

    def on_mount(self) -> None:
        self.push_screen(CodePicker(self.codes), self._done)

    def _done(self, label: str | None) -> None:
        self.result = label


# -- scoring -----------------------------------------------------------------------------------------


def test_fuzzy_score_ranks_exact_then_prefix_then_word_then_substring_then_letters() -> None:
    scores = {
        label: fuzzy_score("hope", label)
        for label in ("Hope", "Hopeful", "Losing hope", "Shopeful", "Helping others personally", "Peer role")
    }
    ranked = sorted((s[0], label) for label, s in scores.items() if s is not None)
    assert [label for _score, label in reversed(ranked)] == [
        "Hope",
        "Hopeful",
        "Losing hope",
        "Shopeful",
        "Helping others personally",
    ]
    assert scores["Peer role"] is None


def test_fuzzy_score_gives_the_matched_positions_for_highlighting() -> None:
    substring = fuzzy_score("und", "Feeling understood")
    assert substring is not None
    assert substring[1] == (8, 9, 10)
    result = fuzzy_score("fu", "Feeling understood")
    assert result is not None
    assert result[1] == (0, 8)  # word starts preferred: F...u


def test_fuzzy_score_is_case_and_space_insensitive() -> None:
    assert fuzzy_score("  FEELING   understood ", "Feeling understood") == (1000.0, tuple(range(18)))
    assert fuzzy_score("feel und", "Feeling understood") is not None


def test_fuzzy_score_falls_back_when_the_word_start_letter_leaves_no_match() -> None:
    result = fuzzy_score("a c", "xabc ax")
    assert result is not None
    assert result[1] == (1, 3)


def test_an_empty_query_matches_everything_equally() -> None:
    assert fuzzy_score("", "anything") == (0.0, ())


def test_rank_codes_without_a_query_puts_the_most_used_first() -> None:
    assert [code.label for code, _ in rank_codes("", CODES)] == [
        "Hope",
        "Feeling understood",
        "Shopping for peers",
        "Hope and despair",
        "Peer role",
    ]


def test_rank_codes_filters_out_codes_that_do_not_match() -> None:
    assert [code.label for code, _ in rank_codes("hope", CODES)] == [
        "Hope",
        "Hope and despair",
        "Shopping for peers",
    ]


# -- the dialog --------------------------------------------------------------------------------------


async def test_a_new_label_is_offered_first_and_enter_returns_it() -> None:
    app = PickerApp(CODES)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press(*"Turning point")
        picker = app.screen
        assert isinstance(picker, CodePicker)
        options = picker.query_one(OptionList)
        assert options.get_option_at_index(0).id == CREATE_ID
        assert "+ create “Turning point”" in str(options.get_option_at_index(0).prompt)
        await pilot.press("enter")
        await pilot.pause()
    assert app.result == "Turning point"


async def test_an_existing_label_typed_in_other_case_picks_that_code() -> None:
    app = PickerApp(CODES)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press(*"HOPE")
        picker = app.screen
        assert isinstance(picker, CodePicker)
        assert CREATE_ID not in {picker.query_one(OptionList).get_option_at_index(0).id}
        assert picker.choices[0] == "Hope"
        await pilot.press("enter")
        await pilot.pause()
    assert app.result == "Hope"


async def test_arrows_move_the_highlight_and_enter_picks_it() -> None:
    app = PickerApp(CODES)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press(*"hope", "down", "down", "up", "down")
        picker = app.screen
        assert isinstance(picker, CodePicker)
        assert picker.query_one(OptionList).highlighted == 2
        await pilot.press("enter")
        await pilot.pause()
    assert app.result == "Shopping for peers"


async def test_enter_with_nothing_typed_picks_the_most_used_code() -> None:
    app = PickerApp(CODES)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("enter")
        await pilot.pause()
    assert app.result == "Hope"


async def test_each_option_shows_the_codes_segment_count() -> None:
    app = PickerApp(CODES)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        options = app.screen.query_one(OptionList)
        assert str(options.get_option_at_index(0).prompt) == "Hope  5"


async def test_escape_cancels_with_none() -> None:
    app = PickerApp(CODES)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press(*"Hope", "escape")
        await pilot.pause()
    assert app.result is None


async def test_enter_with_no_codes_and_no_text_does_nothing() -> None:
    app = PickerApp([])
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("enter", "down")
        await pilot.pause()
        assert isinstance(app.screen, CodePicker)
    assert app.result == "(still open)"


async def test_ranking_400_codes_keeps_up_with_typing() -> None:
    words = ["peer", "support", "hope", "trust", "role", "power", "change", "safety", "voice", "stigma"]
    codes = [PickerCode(f"{words[i % 10]} {words[(i // 10) % 10]} {i}", i % 17) for i in range(400)]
    app = PickerApp(codes)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        picker = app.screen
        assert isinstance(picker, CodePicker)
        assert len(picker.choices) == 400
        timings = []
        for query in ("p", "pe", "pee", "peer", "peer s", "peer su", "h", "ho", "hop", ""):
            started = time.perf_counter()
            picker._rebuild(query)
            timings.append(time.perf_counter() - started)
        assert statistics.median(timings) < 0.05  # generous: about 5 ms on a laptop
        await pilot.press(*"trust voice 1")
        await pilot.press("enter")
        await pilot.pause()
    assert app.result == "trust voice 183"  # the code it is a prefix of is the default, not a new code


async def test_an_existing_code_containing_what_is_typed_is_the_default_not_a_new_code() -> None:
    app = PickerApp([PickerCode("Feeling understood", 3), PickerCode("Hope", 5)])
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press(*"feel")
        picker = app.screen
        assert isinstance(picker, CodePicker)
        options = picker.query_one(OptionList)
        assert options.highlighted == 0 and picker.choices[0] == "Feeling understood"
        assert options.get_option_at_index(options.option_count - 1).id == CREATE_ID  # still offered, last
        await pilot.press("enter")
        await pilot.pause()
    assert app.result == "Feeling understood"


async def test_ctrl_n_creates_the_typed_label_even_when_a_code_matches() -> None:
    app = PickerApp([PickerCode("Feeling understood", 3)])
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press(*"feel", "ctrl+n")
        await pilot.pause()
    assert app.result == "feel"


async def test_a_label_whose_letters_only_occur_in_order_is_offered_as_new_first() -> None:
    app = PickerApp([PickerCode("Turning out of hospital", 2)])
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press(*"toh")
        picker = app.screen
        assert isinstance(picker, CodePicker)
        assert picker.query_one(OptionList).get_option_at_index(0).id == CREATE_ID
        await pilot.press("enter")
        await pilot.pause()
    assert app.result == "toh"
