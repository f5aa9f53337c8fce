"""Timed transcripts (TR-4, TR-5): Teams and Zoom WebVTT, SubRip; cues of one speaker merged into turns."""

from __future__ import annotations

from pathlib import Path

import pytest
from wb_interop.srt_import import load_srt
from wb_interop.vtt_import import load_vtt

from workbench import BadInputError

TEAMS = """WEBVTT

0c3e9f4a-7d21-4c55-9a61-2b8f0e1d3c44/12-0
00:00:01.200 --> 00:00:04.000
<v Jo Interviewer>So tell me about the group.</v>

0c3e9f4a-7d21-4c55-9a61-2b8f0e1d3c44/13-0
00:00:04.500 --> 00:00:07.250
<v Sam Okafor>It was (.) odd at first.</v>

0c3e9f4a-7d21-4c55-9a61-2b8f0e1d3c44/13-1
00:00:07.300 --> 00:00:09.000
<v Sam Okafor>Then it became ours.
[laughs]</v>
"""

ZOOM = """WEBVTT

1
00:00:00.500 --> 00:00:02.000
Jo Interviewer: Shall we begin?

2
00:00:02.500 --> 00:00:05.000
sam okafor: Yes. I'd been on the ward,

3
00:00:05.000 --> 00:00:06.000
sam okafor: years back.
"""


def test_teams_voice_tags_name_the_speakers_and_guid_cue_ids_are_not_text() -> None:
    imported = load_vtt(Path("teams.vtt"), TEAMS.encode())
    assert "0c3e9f4a" not in imported.text
    assert imported.text == (
        "Jo Interviewer: So tell me about the group.\n\n"
        "Sam Okafor: It was (.) odd at first. Then it became ours. [laughs]\n"
    )
    assert [t.label for t in imported.turns] == ["Jo Interviewer", "Sam Okafor"]


def test_consecutive_cues_of_one_speaker_keep_the_first_start_time() -> None:
    imported = load_vtt(Path("teams.vtt"), TEAMS.encode())
    assert imported.turns[1].t_start == pytest.approx(4.5)
    assert imported.turns[1].t_end == pytest.approx(9.0)


def test_zoom_name_prefixes_are_speakers_even_in_lower_case() -> None:
    imported = load_vtt(Path("zoom.vtt"), ZOOM.encode())
    assert (
        imported.text
        == "Jo Interviewer: Shall we begin?\n\nsam okafor: Yes. I'd been on the ward, years back.\n"
    )
    assert [t.label for t in imported.turns] == ["Jo Interviewer", "sam okafor"]
    assert imported.turns[0].t_start == pytest.approx(0.5)


def test_a_file_that_is_not_webvtt_is_refused() -> None:
    with pytest.raises(BadInputError, match="WebVTT"):
        load_vtt(Path("x.vtt"), b"hello there\n")


def test_srt_dialogue_dashes_and_name_prefixes_become_paragraphs_and_turns() -> None:
    data = (
        b"1\n00:00:01,000 --> 00:00:02,000\nInterviewer: Ready?\n\n"
        b"2\n00:00:02,500 --> 00:00:04,000\nParticipant: I think so.\n\n"
        b"3\n00:00:04,000 --> 00:00:05,000\n- Good.\n- Okay then.\n"
    )
    imported = load_srt(Path("x.srt"), data)
    assert imported.text == "Interviewer: Ready?\n\nParticipant: I think so.\n\nGood.\n\nOkay then.\n"
    assert imported.turns[1].t_start == pytest.approx(2.5)


def test_a_file_that_is_not_srt_is_refused() -> None:
    with pytest.raises(BadInputError, match="SubRip"):
        load_srt(Path("x.srt"), b"1\nnot a time\nwords\n")
