"""Floor 2, the content model: a source file's text and front matter, the typed records and the
site's settings.
"""
