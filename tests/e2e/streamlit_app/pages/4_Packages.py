"""A package written for anywidget, from PyPI, through the alias (tests/e2e/test_compat.py)."""

import os
import sys

from esmwidget.compat import install_anywidget_alias

install_anywidget_alias()
sys.path.insert(0, os.environ["ESMWIDGET_COMPAT_PKGS"])

import streamlit as st  # noqa: E402
from wigglystuff import Slider2D  # noqa: E402

from esmwidget.streamlit import show  # noqa: E402

slider = show(Slider2D(), key="slider")
st.write(f"slider at {slider.x:.2f} {slider.y:.2f}")
