"""Any shared link, however mangled, opens a page: a bad value falls back, nothing raises."""

from __future__ import annotations

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from tests.ui.helpers import PAGES, fresh_app
from ui.state.controls import DEFAULTS

# The pages' own parameters too: the sweep's, the range test's and Compare's tuning.
PAGE_KEYS = ["sweep", "from_lr", "to_lr", "from_n", "to_n", "sweep_points", "sweep_with"]
PAGE_KEYS += ["lr_min", "lr_max", "lr_steps", "lr_seeds", "tune", "tune_metric", "tune_at"]
KEYS = [*DEFAULTS, "map", "lesson", "preset", "csv_upload", *PAGE_KEYS]
EDGE_VALUES = [
    "",
    " ",
    "nan",
    "NaN",
    "inf",
    "-inf",
    "1e309",
    "-1e309",
    "0",
    "-0",
    "1e-320",
    "10",
    "-1",
    "99999999999999999999999",
    "0x10",
    "true",
    "false",
    "None",
    "adam",
    "sgd",
    "cosine",
    "full",
    "1,000",
    "1.5.2",
    "%00",
    "<script>alert(1)</script>",
    "**bold**",
    "é",
    "🙂",
    "\x00",
    "a" * 2000,
]
values = st.sampled_from(EDGE_VALUES) | st.text(max_size=30) | st.floats().map(repr)
queries = st.dictionaries(
    st.sampled_from(KEYS) | st.text(min_size=1, max_size=12),
    values | st.lists(values, min_size=2, max_size=3),
    max_size=8,
)


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(query=queries, page=st.sampled_from([*PAGES, "pages/lessons.py"]))
@example(query={"$$ID": "", "$$ID-x-None": "1"}, page="pages/fit.py")  # Streamlit's reserved keys
@example(query={"lr_k": "1E-200"}, page="pages/loss.py")  # both rates 1e-200: η_k·η_b underflows
def test_any_query_string_opens_every_page_without_an_exception(query, page):
    app = fresh_app()
    for key, value in query.items():
        app.query_params[key] = value
    app.run()
    assert not app.exception, (query, [e.value for e in app.exception])
    app.switch_page(page).run()
    assert not app.exception, (query, page, [e.value for e in app.exception])
    assert app.title, (query, page)
