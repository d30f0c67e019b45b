import streamlit as st
from widgets import Counter

from esmwidget.streamlit import show

left, right = st.columns(2)
with left:
    a = show(Counter(), key="in-column")
tab_one, tab_two = st.tabs(["one", "two"])
with tab_one:
    b = show(Counter(), key="in-tab")
with tab_two:
    st.write("the other tab")
with st.expander("more", expanded=True):
    c = show(Counter(), key="in-expander")


@st.fragment
def part() -> None:
    d = show(Counter(), key="in-fragment")
    st.write(f"fragment sees {d.count}")


part()
st.write(f"layouts see {a.count} {b.count} {c.count}")
