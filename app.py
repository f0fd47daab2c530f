"""Gradient Descent Lab: routes between the pages and draws the shared sidebar once."""

import base64
from pathlib import Path

import streamlit as st

from ui import registry
from ui.compute import cache_locks, memory_probe
from ui.plain import collector, memory
from ui.state import controls, lessons, link_check, page_aliases

memory.return_large_arrays_to_the_os()  # idempotent and cheap; see ui/plain/memory.py
memory.share_malloc_arenas()  # the same, for the script threads' arenas
memory.arrow_memory_from_malloc()  # pyarrow's too, not mimalloc's: soaks were steppy
memory_probe.start_if_asked()  # only with GDLAB_MEMORY_PROBE set (soaks); see there

# A file of our own, not a :material/…: icon: those favicons are fetched from Google's font
# CDN, which fails (and logs a console error) on a classroom network that blocks it.
# Given as a data: URL, which Streamlit passes through: a file path is opened with PIL and
# registered as a media file on every rerun (about 1 ms of each run's server time).
FAVICON = Path(__file__).parent / "assets" / "favicon.png"
ICON = "data:image/png;base64," + base64.b64encode(FAVICON.read_bytes()).decode()
st.set_page_config(page_title="Gradient Descent Lab", page_icon=ICON, layout="wide")
st.html(Path(__file__).parent / "assets" / "chart_controls.css")  # a style sheet takes no space
# Listed explicitly (not discovered) so the sidebar's widgets keep their values across pages.
page = st.navigation(
    [
        st.Page(p.file, title=p.title, icon=p.icon, url_path=p.url_path, default=not p.url_path)
        for p in registry.PAGES
    ]
    + page_aliases.hidden_pages()  # /sweeps, /lr_finder…: routed, not listed
)
page_aliases.follow(page)  # an alias opens its page, link kept, before anything reads it
link_check.remember()  # before any widget reads the address
lessons.read_bare_link()
with st.sidebar:
    lessons.render_picker()
controls.render_sidebar()
lessons.render_card(page.url_path)
# Above the page, filled once its own widgets are drawn (or before it stops on a message).
link_check.place_notice(st.container(), page.url_path)
page.run()
link_check.render_notice()
# After the first run's imports: later post-run collections skip them (ui/plain/collector.py).
collector.freeze_what_is_loaded()
cache_locks.drop_idle_locks()  # at most once a minute: Streamlit keeps one per result (see there)
