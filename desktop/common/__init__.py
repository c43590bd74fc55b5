"""What every room uses: messages, field widgets, Qt setup, the undo route."""
