"""Drafts for the secretary: ``python build.py new kallelse|protokoll|anslag``.

Each kind of draft is made in two steps. The first reads what the content folder already says
(the settings, the body's latest earlier meeting, the meeting's kallelse, the body's protocols of
the year) into small records; the second, a pure function of those records, returns the file's
text: a draft (``status: draft``) that ``check`` accepts, with the law's dates written beside
it as YAML comments. ``common.write`` puts the text in its file and never overwrites one.

Where the content says nothing (no earlier meeting, no members in site.yaml), a draft holds a
placeholder marked ÄNDRA ("change") that is still valid against its schema, so that the draft
can be checked and previewed at once. One module for each kind of draft: ``kallelse`` (a meeting
and its kallelse), ``protokoll`` (a protocol from its kallelse, with the example of
``proceedings`` from ``proceedings``) and ``anslag`` (a notice); ``common`` holds what they share.
"""
