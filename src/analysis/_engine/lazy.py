"""numpy submodules that scipy's import touches but liftpace never runs, loaded on first use.

``scipy.special`` (the t and normal quantiles of :mod:`analysis._engine.stats`) imports an
array-API layer that copies every name of ``numpy.__all__``, which imports ``numpy.f2py`` (a
Fortran wrapper generator, with ``charset_normalizer``) and ``numpy.testing``: 55-85 ms of every
``liftpace`` command and notebook start, for modules nothing here calls. They are registered
with the standard library's :class:`importlib.util.LazyLoader` instead: the module object
exists, and it is executed the first time anyone reads one of its attributes (a notebook that
uses ``numpy.testing`` gets the real module then).
"""

from __future__ import annotations

import importlib.util
import sys

__all__ = ["defer_unused_numpy_modules"]

UNUSED = ("numpy.f2py", "numpy.testing")


def defer_unused_numpy_modules() -> None:
    """Register :data:`UNUSED` as lazily loaded modules, unless already imported.

    Best effort: a module that cannot be found or deferred is left to import as usual.
    """
    for name in UNUSED:
        if name in sys.modules:
            continue
        try:
            spec = importlib.util.find_spec(name)
            if spec is None or spec.loader is None:
                continue
            spec.loader = importlib.util.LazyLoader(spec.loader)
            module = importlib.util.module_from_spec(spec)
            spec.loader.exec_module(module)  # lazy: runs the module on first attribute access
        except (ImportError, AttributeError, ValueError):
            continue
        sys.modules[name] = module
        parent, _, child = name.rpartition(".")
        # numpy's own __getattr__ would import it again under the same name: bind it here
        setattr(sys.modules[parent], child, module)
