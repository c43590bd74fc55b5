"""The indicator-system editor: its window, tree, detail forms and files."""
