"""Entry script of the frozen binary (PyInstaller runs this file as ``__main__``).

``multiprocessing.freeze_support()`` must run before anything else: with ``--n-process``
spaCy starts worker processes, which in a frozen app re-execute this binary; without the
call every worker would start the whole CLI (or a window) again.
"""

import multiprocessing

if __name__ == "__main__":
    multiprocessing.freeze_support()

    from annotator.cli import main

    main()
