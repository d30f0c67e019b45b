"""Other libraries and host tools.

ipywidgets' containers and hooks (`ipywidgets`), the anywidget alias's internals
(`anywidget_internals`), and the paths the Jupyter extension commands read (`labextension`).
"""
