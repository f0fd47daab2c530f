"""The update panel's lines as sent: heads per group of frames and a tail per frame, by hand."""

from ui.plain.panel_heads import joined, split_heads


def test_each_line_is_sent_as_the_text_its_group_shares_and_each_frames_rest():
    heads, tails = split_heads(
        {
            "line0": ["Epoch 1 → 2", "Epoch 2 → 3", "Epoch 10: the end"],
            "line1": ["g_k = (2/n)", "g_k = (2/n)", "gradient g"],
            "line2": ["step  1.5", "step  −2", ""],  # the end's panel is shorter
        },
        groups=[0, 0, 1],
    )
    assert heads == {
        "line0": ["Epoch ", "Epoch 10: the end"],
        "line1": ["g_k = (2/n)", "gradient g"],
        "line2": ["step  ", ""],
    }
    assert tails == {
        "line0": ["1 → 2", "2 → 3", ""],
        "line1": ["", "", ""],
        "line2": ["1.5", "−2", None],
    }


def test_one_group_shares_what_every_frame_has_and_an_empty_line_stays_empty():
    lines = {"line0": ["step 1", "step 12", "sum"], "line1": ["", "x", ""]}
    heads, tails = split_heads(lines, groups=[0, 0, 0])
    assert heads == {"line0": ["s"], "line1": ["x"]}
    assert tails == {"line0": ["tep 1", "tep 12", "um"], "line1": [None, "", None]}
    for name, column in lines.items():
        assert [joined(heads[name][0], tail) for tail in tails[name]] == column
