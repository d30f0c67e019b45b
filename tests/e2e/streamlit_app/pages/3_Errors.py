import streamlit as st
from widgets import Broken

from esmwidget.streamlit import show

show({"count": 1})
show(Broken(), key="broken")
st.write("the rest renders")
