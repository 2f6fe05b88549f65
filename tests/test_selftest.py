"""The selftest logic in the source tree (the frozen binary runs it in `make smoke`)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from annotator.selftest import Context, find_spans, process_age, run_selftest, step_environment

ROOT = Path(__file__).resolve().parents[1]


def test_find_spans_reads_text_or_offsets() -> None:
    text = "Russia sent troops to Venezuela."
    line = {"text": text, "spans": [{"start": 22, "end": 31, "label": "GPE"},
                                    {"text": "Russia", "start": 0, "end": 6, "label": "GPE"}]}
    assert find_spans(json.dumps(line) + "\n\n") == {("Venezuela", "GPE"), ("Russia", "GPE")}


def test_steps_run_in_order_and_stop_at_the_first_failure() -> None:
    lines: list[str] = []
    seen: list[str] = []

    def ok(ctx: Context) -> str:
        seen.append("ok")
        assert ctx.workdir.is_dir()
        return "fine"

    def boom(_ctx: Context) -> str:
        raise ValueError("broken model")

    steps = [("first", ok), ("second", boom), ("third", ok)]
    assert run_selftest(echo=lines.append, steps=steps) is False
    assert seen == ["ok"]
    assert lines[0].startswith("ok   first") and "fine" in lines[0]
    assert lines[1] == "FAIL second       ValueError: broken model"


def test_only_filters_steps_and_refuses_unknown_names() -> None:
    lines: list[str] = []
    steps = [("a", lambda _c: "A"), ("b", lambda _c: "B")]
    assert run_selftest(echo=lines.append, steps=steps, only=["b"])
    assert [ln.split()[1] for ln in lines[:-1]] == ["b"]
    assert lines[-1].startswith("selftest passed")
    assert not run_selftest(echo=lines.append, steps=steps, only=["nope"])


def test_environment_step_finds_resources(tmp_path: Path) -> None:
    assert "(source, Python" in step_environment(Context(workdir=tmp_path))
    assert process_age() >= 0


@pytest.mark.slow
def test_full_selftest_with_the_real_model() -> None:
    lines: list[str] = []
    assert run_selftest(echo=lines.append), "\n".join(lines)
    assert any(ln.startswith("ok   check") and "Venezuela is GPE" in ln for ln in lines)
