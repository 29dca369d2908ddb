"""Importers: statements from a WordPress export or site, or from saved pages, into the corpus folder.

Each source is read into :class:`records.Post` records (``wordpress``,
``wp_json``, ``saved_pages``), named (``naming``: language, file name,
translation key) and written (``writer``: idempotent, never over a
curator's edit, staged and validated first); ``command`` runs an import for
``python -m indexer import``.
"""
