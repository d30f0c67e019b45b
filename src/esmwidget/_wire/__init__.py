"""What goes on the wire.

The protocol's shapes (`protocol`), binary values along buffer paths (`buffers`), values from the
page made sendable and logs kept short (`clean`), and the widget-state document (`saved_state`).
Imports nothing of esmwidget but the base modules (docs/architecture.md).
"""
