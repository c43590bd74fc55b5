"""The pages of the form, one per section, in the order of the 自评表 and the report.

Every page is a QWidget built as ``Page(document)`` with:
- ``title``: the navigation label (Chinese), ``section``: the key of
  ``forms.validation.SECTIONS`` it shows (issues are routed by it);
- it refreshes itself from ``document.evaluation`` on ``document.changed`` and
  paints its problem marks from ``document.issues``;
- every edit builds a new snapshot and calls ``document.apply(...)``;
- ``focus_path(path) -> bool`` shows and focuses the field of an issue path.
"""
