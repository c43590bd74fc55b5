"""The ``selfeval`` sub-commands that work without a window, each in a module of its own;
``desktop/cli.py`` parses the arguments and dispatches here.  Nothing here imports Qt."""
