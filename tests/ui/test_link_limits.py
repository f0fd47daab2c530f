"""What a link does not carry is said where the student sets it: the player's epoch and
Compare's Highlight live in the browser (ui/registry/links.py says why)."""

import gd_core as gd
from tests.ui.helpers import fresh_app
from ui.compute.runs import reduced_run
from ui.config import Config, TrainSpec
from ui.plain import run_captions


def test_the_player_says_a_link_opens_at_the_epoch_it_starts_on():
    data = gd.make_dataset(100, slope=2.0, intercept=1.0, noise=1.0)
    for spec in (TrainSpec(), TrainSpec(lr_k=0.05, lr_b=0.05)):  # the second one diverges
        run = reduced_run(Config(train=spec), data)
        last = run.frames.last
        assert last == int(run.last["epoch"])  # where the player opens: the run's last epoch
        assert f"a link to this page opens at epoch {last:,}, not at the one shown" in (
            run_captions.player(run)
        )


def test_compare_says_the_highlight_stays_in_the_browser():
    app = fresh_app()
    app.switch_page("pages/compare.py").run()
    text = " ".join(c.value for c in app.caption)
    assert "in your browser only: a link opens with every strategy drawn alike" in text
