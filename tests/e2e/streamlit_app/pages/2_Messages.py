import streamlit as st
from widgets import Card, Counter, Messenger

from esmwidget.streamlit import show

if "messenger" not in st.session_state:
    st.session_state.messenger = Messenger()
    st.session_state.child = Counter(count=7)
    st.session_state.card = Card(title="a card", body=st.session_state.child)
messenger = show(st.session_state.messenger, key="messenger")
st.write(f"python got {messenger.received or 'nothing'}")
show(st.session_state.card, key="card")
st.write(f"child is {st.session_state.child.count}")
