"""The sources: the manifest ``raw/sources.toml`` (what is read, from where, with which
parser, pinned by its sha256), its edits and the detection of a file's format.

* :mod:`pipeline.sources.manifest` — the model of a ``[[source]]`` entry and its checks;
  loading the manifest and verifying the files against it;
* :mod:`pipeline.sources.edit` — ``crosswalk sources --update``, ``add``, ``replace`` and
  ``remove``: edits that keep the manifest's comments (tomlkit), written only when the
  edited manifest loads cleanly;
* :mod:`pipeline.sources.detect` — which format a file is in, from its content.
"""

from __future__ import annotations

from pipeline.sources.detect import detect_format
from pipeline.sources.edit import (
    REQUIRED_METADATA,
    Added,
    Replaced,
    add_source,
    remove_source,
    replace_source,
    slug,
    update_checksums,
)
from pipeline.sources.manifest import (
    MANIFEST_NAME,
    METADATA,
    PDF_FORMATS,
    REDISTRIBUTION,
    Source,
    file_sha256,
    load_manifest,
    parse_manifest,
    settings_table,
    verify_sources,
)

__all__ = [
    "MANIFEST_NAME", "METADATA", "PDF_FORMATS", "REDISTRIBUTION", "REQUIRED_METADATA", "Added",
    "Replaced", "Source", "add_source", "detect_format", "file_sha256", "load_manifest",
    "parse_manifest", "remove_source", "replace_source", "settings_table", "slug",
    "update_checksums", "verify_sources",
]
