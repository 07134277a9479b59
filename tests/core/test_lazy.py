"""A package's entry points imported when first used (newsgen.core.lazy)."""

from __future__ import annotations

import subprocess
import sys

import pytest


def test_a_lazy_entry_point_is_the_function_itself():
    import newsgen.site
    from newsgen.site import build_site
    from newsgen.site.assemble import build_site as defined

    assert build_site is defined
    assert "build_site" in dir(newsgen.site) and "RelatedIndex" in dir(newsgen.site)
    with pytest.raises(AttributeError, match="no attribute 'nothing'"):
        _ = newsgen.site.nothing  # type: ignore[attr-defined]


def test_importing_a_module_of_a_package_does_not_import_its_entry_points():
    """``newsgen.site.related`` alone, without the assembly (and Markdown) the package names."""
    probe = "import sys, newsgen.site.related; print(sorted(m for m in ('newsgen.site.assemble', 'markdown') if m in sys.modules))"
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=60
    )
    assert done.stdout.strip() == "[]"
    probe = "import sys; from newsgen.site import build_site; print('newsgen.site.assemble' in sys.modules)"
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=60
    )
    assert done.stdout.strip() == "True"
