"""Floor 5, loading and checking a content folder: entries read only when changed, the archive of
summaries, checks across the archive.
"""
