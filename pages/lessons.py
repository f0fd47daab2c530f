"""Lessons: short guided tours, each a preset, where to look and a question to answer."""

import streamlit as st

from ui.state import controls
from ui.state.lessons import LESSONS, start

st.title("Lessons")
controls.current()
st.markdown(
    "Each lesson sets the sidebar for you, opens the page to look at and asks one question. "
    "The address bar then holds a link to the lesson, settings and all: share it with a class."
)
for lesson in LESSONS:
    with st.container(border=True):
        st.subheader(lesson.title)
        st.markdown(f"**Look at:** {lesson.look}  \n**Question:** {lesson.question}")
        # start() applies the lesson; the sidebar's lesson box then opens its page.
        st.button(
            "Start this lesson", key=f"start_{lesson.slug}", on_click=start, args=(lesson.slug,)
        )
