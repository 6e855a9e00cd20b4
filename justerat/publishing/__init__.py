"""Floor 8, publishing: the sinks (the published folder, the preview's memory) and verifying what
was published.
"""
