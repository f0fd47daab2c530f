"""Rates so small that float64 holds them only as subnormals open every page cleanly.

A link can carry `lr_k=1e-320`: the modes' eigenvectors underflow and the start's coordinates
overflow there, which raised (a singular solve) or warned on the Loss page.
"""

import pytest

from tests.ui.helpers import PAGES, fresh_app


@pytest.mark.parametrize(
    "query",
    [{"lr_k": "1e-320"}, {"lr_k": "5e-324", "lr_b": "1e-320", "same_rate": "false"}],
)
@pytest.mark.parametrize("page", PAGES)
def test_a_subnormal_rate_opens_every_page_without_an_exception(query, page):
    app = fresh_app(**query)
    app.switch_page(page).run()
    assert not app.exception, [e.value for e in app.exception]
