"""Pages with no kernel: standalone HTML (`export`, `page`) and the nbconvert exporter."""
