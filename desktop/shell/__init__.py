"""The shell: start-up, the main window, the library, export actions, autosave."""
