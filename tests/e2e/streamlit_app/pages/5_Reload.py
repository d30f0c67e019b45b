import streamlit as st
from widgets import Live

from esmwidget.streamlit import show

live = show(Live(), key="live")
st.write(f"live sees {live.count}")
