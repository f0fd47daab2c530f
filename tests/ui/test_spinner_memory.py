"""feedback.working remembers what a session has drawn only once it is drawn.

A rerun whose work raised, or was cut short by a newer rerun, drew nothing: the same inputs
next time are new work and must show the spinner again.
"""

from streamlit.testing.v1 import AppTest


def _script():
    import streamlit as st

    from ui.state import feedback

    class Spec:  # what working() reads of a run's spec
        epochs = 450

    shown = st.session_state.setdefault("spinners", [])
    spinner = st.spinner

    def counting(text, **kw):
        shown.append(text)
        return spinner(text, **kw)

    st.spinner = counting
    try:
        with feedback.working(0.0, [Spec()], drawn=("run", "same inputs")):
            if st.session_state.setdefault("fail", 1) > 0:
                st.session_state["fail"] -= 1
                raise ValueError("the work failed")
        st.write("drawn")
    except ValueError:
        st.write("failed")
    finally:
        st.spinner = spinner


def test_a_failed_run_does_not_count_as_drawn():
    app = AppTest.from_function(_script).run()
    assert [m.value for m in app.markdown] == ["failed"]
    app.run()  # the same inputs: nothing was drawn, so a spinner again
    assert [m.value for m in app.markdown] == ["drawn"]
    assert len(app.session_state["spinners"]) == 2
    app.run()  # drawn now: a revisit with the same inputs shows none
    assert len(app.session_state["spinners"]) == 2
