"""An upload with x as large as the data check accepts: every page draws, with numbers.

Past |x| ≈ 1e77 the Hessian's eigenvalues overflowed and every page but Compare and Lessons ended
in a traceback (`analyze` divided by λ_min = 0); the check now stops at gd_core.data.MAX_ABS_X.
"""

import re

import numpy as np
import pytest

from gd_core.data import MAX_ABS_VALUE, MAX_ABS_X
from tests.ui.helpers import PAGES, fresh_app

NOT_A_NUMBER = re.compile(r"\b(nan|NaN|inf|infinity)\b")


def upload(x: np.ndarray, y_scale: float = 1.0):
    y = (2.0 * x / np.max(np.abs(x)) + 1.0 + np.sin(np.arange(x.size))) * y_scale
    csv = "x,y\n" + "".join(f"{float(a)!r},{float(b)!r}\n" for a, b in zip(x, y, strict=True))
    app = fresh_app().run()
    return app.file_uploader(key="csv_upload").upload("big.csv", csv.encode(), "text/csv").run()


@pytest.mark.parametrize("y_scale", [1.0, MAX_ABS_VALUE / 4])
def test_every_page_reads_an_upload_at_the_largest_x_accepted(y_scale):
    # With y near its own limit too, every step of a run overflows: the pages say so in words.
    app = upload(np.linspace(0.1, 1.0, 30) * MAX_ABS_X, y_scale)
    for page in [*PAGES, "pages/lessons.py"]:
        app.switch_page(page).run()
        assert not app.exception, (page, [e.value for e in app.exception])
        assert not app.error, (page, [e.value for e in app.error])
        said = [el.value for el in [*app.markdown, *app.caption, *app.info, *app.success]]
        said += [el.value for el in app.warning]
        assert not [text for text in said if NOT_A_NUMBER.search(str(text))], (page, said)


def test_an_upload_past_it_says_which_cell_and_to_rescale_x():
    app = upload(np.array([1.0, 2.0, 3e76, 4.0]))
    (error,) = app.error
    assert "Line 4, column x: 3e+76 is too large" in error.value.replace("`", "")
    assert "within ±1e+75" in error.value and "rescale the column" in error.value
    assert not app.exception
