"""The stability map's marked cell travels in the link (?map_pick_k=…&map_pick_b=…), as the
sliders show it, until "Train with this cell" hands it to the sidebar."""

from tests.ui.helpers import dataset, fresh_app, sidebar_values
from ui.charts import lab_charts

PAGE = "pages/stability.py"


def open_map(**query: str):
    app = fresh_app(map="momentum", **query)
    app.switch_page(PAGE).run()
    assert not app.exception, [e.value for e in app.exception]
    return app


def notices(app) -> list[str]:
    return [w.value for w in app.warning if "could not be used" in w.value]


def picked(app) -> tuple[float, float]:
    marks = {row["mark"]: (row["lr_k"], row["lr_b"]) for row in dataset(app, lab_charts.MARKS)}
    return marks[lab_charts.PICKED]


def test_a_link_opens_on_the_cell_its_sender_marked_and_train_hands_it_on():
    texts_k = open_map().select_slider(key="map_pick_k").options  # the sliders' shown texts
    texts_b = open_map().select_slider(key="map_pick_b").options
    app = open_map(map_pick_k=texts_k[5], map_pick_b=texts_b[30])
    assert notices(app) == []
    k, b = picked(app)
    assert (f"{k:.4g}", f"{b:.4g}") == (texts_k[5], texts_b[30])
    said = " ".join(block.value for block in app.markdown)
    assert "column 6 of 40, row 31 of 40" in said
    # The sidebar is untouched until the student trains with the cell.
    assert (sidebar_values(app)["lr_k"], sidebar_values(app)["lr_b"]) == (0.01, 0.01)
    next(button for button in app.button if button.label == "Train with this cell").click().run()
    assert (sidebar_values(app)["lr_k"], sidebar_values(app)["lr_b"]) == (k, b)
    assert picked(app) == (k, b)  # the marker stays on the cell, now the sidebar's own


def test_a_cell_the_map_does_not_have_falls_back_to_the_sidebars_cell_with_the_notice():
    default = picked(open_map())
    app = open_map(map_pick_k="abc", map_pick_b="1e-9")
    assert picked(app) == default
    (text,) = notices(app)
    assert "`map_pick_k=abc` could not be used" in text
    assert "`map_pick_b=1e-9` could not be used" in text
    assert f"so it is {default[0]:.4g}." in text  # shown as the slider shows it


def test_an_empty_map_choice_falls_back_to_gradient_descent_with_the_notice():
    # Streamlit reads ?map= as a deselection of the required picker: it ended in a KeyError.
    app = fresh_app(map="")
    app.switch_page(PAGE).run()
    assert not app.exception
    assert "Gradient descent on your data" in " ".join(c.value for c in app.caption)
    (text,) = notices(app)
    assert "`map=` could not be used, so it is Gradient descent (`sgd`), its default." in text
    # …and the empty value is out of the address, so a link copied next does not carry it on.
    assert "map" not in dict(app.query_params)
