# mapscope's bridge inside gdb: what mapscope sources. The bridge itself (mapscope_bridge.py and
# the mapscope_*.py it imports, beside this file) is imported as modules, not sourced, so that
# Python can keep their compiled form where a sourced file is compiled at every start (20 ms).
# Their bytecode goes to mapscope's cache ($MAPSCOPE_PYCACHE), never beside them: an installed
# mapscope may be read-only. The interpreter's own settings are put back after.

import os
import sys

_HERE = os.path.dirname(os.path.abspath(__file__))
if _HERE not in sys.path:
    sys.path.insert(0, _HERE)

_PYCACHE = os.environ.get("MAPSCOPE_PYCACHE")
_SAVED = (sys.pycache_prefix, sys.dont_write_bytecode)
if _PYCACHE:
    sys.pycache_prefix, sys.dont_write_bytecode = _PYCACHE, False
try:
    import mapscope_bridge  # noqa: E402,F401
finally:
    sys.pycache_prefix, sys.dont_write_bytecode = _SAVED
