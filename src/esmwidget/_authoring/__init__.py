"""Tools for widget authors: ``esmwidget create`` (`create`)."""
