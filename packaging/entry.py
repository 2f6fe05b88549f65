"""Entry script of the frozen binary (PyInstaller runs this file as ``__main__``).

``multiprocessing.freeze_support()`` must run before anything else: with ``--n-process``
spaCy starts worker processes, which in a frozen app re-execute this binary; without the
call every worker would start the whole CLI (or a window) again.

One OpenBLAS thread: in the bundle numpy's OpenBLAS does thinc's matrix products (see
blis_py.py); spaCy's are small, and one thread was faster than two on the seed articles
(16.5k against 13.2k tokens/s) while leaving a core to the window. Set before numpy loads.
"""

import multiprocessing
import os

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

if __name__ == "__main__":
    multiprocessing.freeze_support()

    from annotator.cli import main

    main()
