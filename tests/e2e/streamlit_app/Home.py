"""The example of docs/streamlit.md: a widget made anew each run, and one kept in the session."""

import streamlit as st
from widgets import Counter

from esmwidget.streamlit import show

counter = show(Counter(), key="counter")
st.write(f"python sees {counter.count}")

if "kept" not in st.session_state:
    st.session_state.kept = Counter(count=5)
kept = st.session_state.kept
if st.button("set to 42"):
    kept.count = 42
show(kept, key="kept")
st.write(f"kept is {kept.count}")

other = show(Counter(), key="other")
st.write(f"other is {other.count}")
