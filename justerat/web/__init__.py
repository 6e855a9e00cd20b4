"""Floor 6, the site's pages and outputs: templates, the site map, rendering, feeds, open data,
iCalendar, the sitemap and the search index.
"""
