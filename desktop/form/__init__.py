"""The form: the document being edited, its pages, tables, editors and panels."""
