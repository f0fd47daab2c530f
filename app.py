"""Gradient Descent Lab: routes between the pages and draws the shared sidebar once."""

import streamlit as st

from ui.compute import cache_locks, memory_probe
from ui.plain import assets, collector, memory
from ui.state import controls, lessons, link_check, navigation_pages, page_aliases

_PAGE_CONFIGURED = "_gdlab_page_configured"

memory.return_large_arrays_to_the_os()  # idempotent and cheap; see ui/plain/memory.py
memory.share_malloc_arenas()  # the same, for the script threads' arenas
memory.arrow_memory_from_malloc()  # pyarrow's too, not mimalloc's: soaks were steppy
memory_probe.start_if_asked()  # only with GDLAB_MEMORY_PROBE set (soaks); see there

# Both read once per process (ui/plain/assets.py); a style sheet takes no space.
# Once per session: Streamlit's frontend keeps the title, icon and layout across reruns and
# page switches (it resets them only for a new session), and each call cost a rerun two
# messages to the host page and the icon set again, about 4 ms of a slider move.
if not st.session_state.get(_PAGE_CONFIGURED):
    st.set_page_config(page_title="Gradient Descent Lab", page_icon=assets.FAVICON, layout="wide")
    st.session_state[_PAGE_CONFIGURED] = True
st.html(assets.STYLE_SHEET)
# Listed explicitly (not discovered) so the sidebar's widgets keep their values across pages;
# built once per process, copied per run (ui/state/navigation_pages.py).
page = st.navigation(navigation_pages.for_this_run())
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
