"""Guided lessons: a preset, where to look, and a question, each one shareable as a link.

The sidebar's "Lesson" box is a widget bound to the URL (?lesson=seed-story), so the address
bar of a lesson is a link to it, settings included. A bare link with only ?lesson=… also works:
on a session's first run, a lesson whose settings are all missing from the URL gets them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import streamlit as st

from ui import registry
from ui.compute import lesson_answers
from ui.state.pickers import readable_picker
from ui.state.presets import DEFAULTS, LESSON_KEY, PRESET_KEY, PRESETS

_FIRST_RUN_DONE = "_gdlab_lesson_link_read"
_OPEN_PAGE = "_gdlab_lesson_page_to_open"  # set by a callback, acted on by render_picker


@dataclass(frozen=True)
class Lesson:
    slug: str  # the URL value
    title: str
    page: str  # the page to open, as in app.py's st.Page
    settings: dict[str, Any] = field(default_factory=dict)
    look: str = ""
    question: str = ""


LESSONS = [
    Lesson(
        "seed-story",
        "Why does b crawl while k settles?",
        "pages/parameters.py",
        PRESETS["The seed story: k settles, b crawls"],
        "The distance chart: how fast |k − k*| and |b − b*| fall, on a log scale.",
        "After 450 epochs, how far is b from b*? How many epochs does the Theory page "
        "predict plain gradient descent needs at this rate?",
    ),
    Lesson(
        "per-parameter-rates",
        "A rate for each parameter",
        "pages/stability.py",
        PRESETS["Fix 1: a rate for each parameter"],
        "The cross (your rates) on the stability map, and the diamond (the fastest pace for "
        "plain gradient descent).",
        "Click cells near the diamond (or move the square there with the sliders under the "
        "map). Which pair converges in the fewest epochs, and how does "
        "it compare with 1/(2·mean(x²)) and ½ on the Theory page?",
    ),
    Lesson(
        "divergence",
        "When a rate is too large",
        "pages/loss.py",
        PRESETS["A rate that diverges"],
        "The warning above the chart, and the loss curve shooting up.",
        "Which parameter ran away first? What is the largest single rate that still converges, "
        "and where does the stability map put this rate?",
    ),
    Lesson(
        "standardise",
        "Why standardising x helps",
        "pages/compare.py",
        PRESETS["x far from zero"],
        "The Compare table: 'standardised x' against plain gradient descent and per-parameter "
        "rates.",
        "How many epochs does each strategy need? Look up the condition number on the Theory "
        "page: why does it explain the ranking?",
    ),
    Lesson(
        "momentum-overshoot",
        "Momentum overshoots",
        "pages/parameters.py",
        PRESETS["Fix 4: momentum"],
        "The path on the loss map, and k over the epochs.",
        "Why does k swing past k* before settling? Try μ = 0.5 in the sidebar: what changes?",
    ),
    Lesson(
        "adam-rates",
        "Adam finds per-parameter rates by itself",
        "pages/theory.py",
        PRESETS["Fix 3: Adam"],
        "Section 5 of the Theory page: the effective rates of k and b over the epochs.",
        "By what factor does Adam's rate for b exceed its rate for k? How does that compare "
        "with the fastest per-parameter rates of section 3?",
    ),
]
BY_SLUG = {lesson.slug: lesson for lesson in LESSONS}


def settings_of(lesson: Lesson) -> dict[str, Any]:
    """Every sidebar value the lesson opens with: the defaults, then its own settings."""
    return DEFAULTS | lesson.settings


def _apply_lesson() -> None:
    slug = st.session_state.get(LESSON_KEY)
    if slug in BY_SLUG:
        st.session_state.update(settings_of(BY_SLUG[slug]))
        st.session_state[PRESET_KEY] = None  # the lesson's settings replace the preset's
        st.session_state[_OPEN_PAGE] = BY_SLUG[slug].page


def start(slug: str) -> None:
    """Open a lesson (a button's callback): its settings, then its page."""
    st.session_state[LESSON_KEY] = slug
    _apply_lesson()


def read_bare_link() -> None:
    """On a session's first run, a URL with only ?lesson=… gets that lesson's settings."""
    if st.session_state.get(_FIRST_RUN_DONE):
        return
    st.session_state[_FIRST_RUN_DONE] = True
    lesson = BY_SLUG.get(st.query_params.get(LESSON_KEY, ""))
    if lesson is not None and not set(lesson.settings) & set(st.query_params):
        st.session_state.update(lesson.settings)


def render_picker() -> None:
    """The sidebar's lesson box: lessons by title, links by slug; choosing one (here or with a
    Lessons page button) applies it and opens its page.

    Opening the page from the sidebar makes a lesson a few key presses away from any page: the
    box is the first control after the navigation, while the Lessons page's buttons come after
    every sidebar control in the tab order (37 presses to the first one).
    """
    readable_picker(
        st.selectbox,
        "Lesson",
        LESSON_KEY,
        {lesson.slug: lesson.title for lesson in LESSONS},
        None,
        on_change=_apply_lesson,
        placeholder="Follow a guided lesson…",
        help="  \n".join(f"**{lesson.title}**: `?lesson={lesson.slug}`" for lesson in LESSONS),
    )
    page = st.session_state.pop(_OPEN_PAGE, None)
    if page is not None:
        # query_params={}: the default (None) clears the URL, which Streamlit refuses while
        # widgets are bound to it; an empty dict replaces it, and the bound widgets write their
        # values back on the lesson's page, so its address is a link to the lesson.
        st.switch_page(page, query_params={})


def render_card(current_path: str) -> None:
    """The open lesson, above the page: what to look at, the question, the answer folded, and
    a link to the lesson's page when the student is on another (`current_path`: the URL path
    of the page shown)."""
    lesson = BY_SLUG.get(st.session_state.get(LESSON_KEY))
    if lesson is None:
        return
    with st.container(border=True):
        st.markdown(f"**Lesson: {lesson.title}**")
        st.markdown(f"**Look at:** {lesson.look}  \n**Question:** {lesson.question}")
        if _url_path(lesson.page) == current_path:  # no link to the page it is on
            answer, link = st.container(), None
        else:
            answer, link = st.columns([3, 1])
        with answer, st.expander("Answer"):
            st.markdown(lesson_answers.answer(lesson.slug, lesson.settings))
        if link is not None:
            with link:
                st.page_link(lesson.page, label="Go to the lesson's page", icon=":material/school:")


def _url_path(file: str) -> str:
    return next(page.url_path for page in registry.PAGES if page.file == file)
