"""esmwidget widgets, and anywidget packages through the alias, in Streamlit apps.

```python
import streamlit as st
from esmwidget.streamlit import show

counter = show(Counter(), key="counter")
st.write(f"python sees {counter.count}")
```

Install with ``pip install "esmwidget[streamlit]"``; ``import esmwidget`` never imports this
module. How it works and what differs from a notebook: docs/streamlit.md.
"""

from __future__ import annotations

from ._show import show

__all__ = ["show"]
