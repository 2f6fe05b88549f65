"""Relations in the window: controller, overlay, picker, panel, editor, schema dialog."""
