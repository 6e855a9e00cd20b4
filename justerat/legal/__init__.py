"""Floor 4, the law: the legal calendar, notices of justering, meetings and their kungörelser,
other notices, the anslagstavla, decisions and people, the publication log.
"""
