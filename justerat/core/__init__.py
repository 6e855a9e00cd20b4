"""Floor 1, the ground: problems as values, Swedish forms, files, worker processes, progress and
the cache (bytes and keys). Knows nothing of protocols.
"""
