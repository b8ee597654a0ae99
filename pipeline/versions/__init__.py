"""Versions of the published data: read a build (a folder, a ``datapackage.json`` or a
git revision), diff two builds row by row on their keys, format the diff, write a
changelog entry, and ``show`` a published file as sorted text.
"""
