"""Floor 3, reading a source into records: Markdown, the front matter's schemas, documents, the
guard and attached files.
"""
