"""Compiled templates kept in the cache folder from one build to the next.

Jinja compiles each template from its text into Python code the first time a
build asks for it: the theme's article page with its base and partials took
0.09 s of a 1.3 s one-article edit at 10,000 articles, to render nine pages.
:class:`TemplateCode` is Jinja's own file system bytecode cache in the folder
``template-code/`` of the build cache: a build loads the code of a template whose
text is what it was (Jinja keeps a digest of the text beside the code) and
compiles the others, storing their code for the next build.

What a template compiles to also depends on newsgen's code (the environment's
settings), Python's version and Jinja's: the code is kept in a folder named
by the engine key (:func:`~newsgen.incremental.keys.engine_key`), and the
code of other engines is removed (only files of Jinja's naming in folders of
engine keys' naming: anything else in the folder stays). The code is a cache
and nothing more: a file that cannot be read or written is compiled again,
never an error.
"""

from __future__ import annotations

import re
from pathlib import Path

import jinja2
from jinja2.bccache import Bucket

from newsgen.incremental.keys import engine_key

#: The folder of the build cache that holds compiled templates, one folder per engine key.
FOLDER = "template-code"
#: The name of an engine's folder in :data:`FOLDER`: the start of its engine key.
_ENGINE = re.compile(r"[0-9a-f]{32}")
#: The name of a file Jinja's bytecode cache writes (its own pattern; ``.tmp`` while written).
_CODE = re.compile(r"__jinja2_[0-9a-f]+\.cache(\w+\.tmp)?")


def _remove_code(folder: Path) -> None:
    """Remove another engine's compiled templates: only the files Jinja's cache names, then the
    folder if that left it empty (nothing newsgen did not write is ever deleted)."""
    try:
        for entry in folder.iterdir():
            if _CODE.fullmatch(entry.name) and entry.is_file() and not entry.is_symlink():
                entry.unlink()
        folder.rmdir()
    except OSError:
        pass  # something else is in it, or it went: left as it is


class TemplateCode(jinja2.FileSystemBytecodeCache):
    """Jinja's file system bytecode cache in ``cache/template-code/<engine key>/`` (see the
    module docstring); the code of other engine keys is removed when it is made."""

    def __init__(self, cache: Path):
        home = cache / FOLDER
        here = home / engine_key()[:32]
        if home.is_dir():
            for old in home.iterdir():
                if old != here and _ENGINE.fullmatch(old.name) and old.is_dir() and not old.is_symlink():
                    _remove_code(old)
        here.mkdir(parents=True, exist_ok=True)
        super().__init__(str(here))

    def load_bytecode(self, bucket: Bucket) -> None:
        try:
            super().load_bytecode(bucket)
        except Exception:  # a damaged file: compile the template again
            bucket.reset()

    def dump_bytecode(self, bucket: Bucket) -> None:
        try:
            super().dump_bytecode(bucket)
        except OSError:  # a full disk or a read-only cache: the next build compiles it again
            pass


def keep_template_code(env: jinja2.Environment, cache: Path | None) -> None:
    """Give ``env`` a :class:`TemplateCode` in the build cache folder ``cache`` (None: the
    cache is off, and templates are compiled as they are asked for). A folder that cannot
    be made leaves templates to be compiled."""
    if cache is None:
        return
    try:
        env.bytecode_cache = TemplateCode(cache)
    except OSError:
        pass


__all__ = ["FOLDER", "TemplateCode", "keep_template_code"]
