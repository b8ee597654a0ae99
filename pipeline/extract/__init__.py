"""Extract: each source file → raw, all-string frames with provenance; nothing is cleaned.

One module per source format, each with an ``extract(source)`` function named in
:data:`pipeline.formats.FORMATS`; the PDF reader's parts (settings, engines, layout)
and the crosswalk header's rules are modules of their own.
"""
