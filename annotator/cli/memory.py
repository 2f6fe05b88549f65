"""memory: list, forget and switch the project memory (logic in core/memory)."""

from __future__ import annotations

import json

import click

from annotator.cli.base import cli, open_project
from annotator.core import memory


@cli.command("memory")
@click.argument("project")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@click.option("--forget", "forget_text", default=None, metavar="TEXT",
              help="Forget what the project decided on TEXT so far.")
@click.option("--off", "switch", flag_value="off", default=None, help="Turn memory off.")
@click.option("--on", "switch", flag_value="on", help="Turn memory on.")
def memory_cmd(project: str, as_json: bool, forget_text: str | None, switch: str | None) -> None:
    """What pre-annotation will suggest from the project's own gold spans: text, label,
    count and where each came from."""
    with open_project(project) as p:
        if switch:
            memory.set_enabled(p, switch == "on")
            click.echo(f"project memory {switch}")
        if forget_text is not None:
            n = memory.forget(p, forget_text)
            click.echo(f"forgot {forget_text!r} ({n} span{'s' * (n != 1)} no longer count)")
        if switch or forget_text is not None:
            return
        rows, on = memory.entries(p), memory.enabled(p)
    if as_json:
        click.echo(json.dumps({"enabled": on, "entries": [e.to_dict() for e in rows]},
                              indent=2, ensure_ascii=False))
        return
    if not on:
        click.echo("project memory is off (annotator memory PROJECT --on turns it on)")
    for e in rows:
        others = "".join(f", {v.label} {v.count}" for v in e.votes[1:])
        click.echo(f"{e.text:<30} {e.label:<12} {e.describe_origin()}{others}")
    if not rows:
        click.echo("nothing remembered yet: accepted spans teach the memory")
