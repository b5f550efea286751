"""Makes gtlint importable from a plain clone, where `rules/` is the package `gtlint` and `plugins/` is
`gtlint.plugins` only once installed. Host entry points run this file first; installed, it does nothing."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path


def ensure_importable() -> None:
    if "gtlint" in sys.modules or importlib.util.find_spec("gtlint") is not None:
        return
    root = Path(__file__).resolve().parent.parent
    for name, folder in (("gtlint", root / "rules"), ("gtlint.plugins", root / "plugins")):
        spec = importlib.util.spec_from_file_location(
            name, folder / "__init__.py", submodule_search_locations=[str(folder)]
        )
        if spec is None or spec.loader is None:
            raise ImportError(f"cannot load {name} from {folder}")
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)


ensure_importable()
