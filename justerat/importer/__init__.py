"""Import text extracted from old protocol PDFs into Justerat Markdown (``build.py import``).

The importer is a pipeline of small recognisers, each tested on its own:

- ``text``: numbered, cleaned lines and small tests on them;
- ``furniture``: page headers, running headers, signature lines, page numbers, tables of
  contents, lone web addresses;
- ``dates``: dates, time spans and "Plats och tid" lines;
- ``people``: person lines (name, party, organisation, role, title, note, replaces);
- ``front_sections``: the front page's labelled sections;
- ``frontpage``: the facts read from each of them;
- ``anslag``: the ANSLAGSBEVIS block's labels and dates;
- ``paragraphs``: § headings and the split into paragraphs;
- ``tables``: rows of numbers into GFM tables;
- ``blocks``: part headings, lists, wrapped lines and the Markdown of a paragraph;
- ``proceedings``: an omröstning's result and the reservations a paragraph's text states,
  for the front matter's ``proceedings`` (the text stays in the body);
- ``yaml_writer``: writes the front matter as deterministic YAML.

``convert.import_text`` puts them together: the front page (and an ANSLAGSBEVIS after the
paragraphs) becomes the front matter (``front_matter``), the paragraphs the body (``body``),
checked on the way (the § numbering, the organ that decides, the § range the front page
states); what the paragraphs record of votes and reservations, where their text leaves no
doubt, is written beside them as ``proceedings``.

Nothing is dropped silently: text that is not understood stays in the body, and a warning
names its source line. A fact the source does not state is left out, with a warning.
"""
