"""Compare's "loss at an epoch" is an epoch of the race on screen: never one past its end."""

from tests.ui.helpers import assert_page_ok, fresh_app


def tuned_caption(app) -> str:
    return next(c.value for c in app.caption if c.value.startswith("Each strategy raced"))


def test_the_tuned_epoch_stays_within_the_race():
    # A link asking for epoch 1,000 of a 450-epoch race falls back to the default epoch.
    app = fresh_app(tune="true", tune_metric="loss_at", tune_at="1000").run()
    app.switch_page("pages/compare.py").run()
    assert_page_ok(app, "pages/compare.py")
    assert app.number_input(key="tune_at").value == 100
    assert "lowest loss at epoch 100 " in tuned_caption(app)
    # Fewer epochs than the chosen one: the epoch follows the race's end, and nothing breaks.
    app.number_input(key="tune_at").set_value(400).run()
    app.select_slider(key="epochs").set_value(200).run()
    assert_page_ok(app, "pages/compare.py after fewer epochs")
    at = app.number_input(key="tune_at").value
    assert 1 <= at <= 200
    assert f"lowest loss at epoch {at:,.0f} " in tuned_caption(app)
