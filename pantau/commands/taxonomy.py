"""``pantau taxonomy check|show|match``: validate and inspect the topics and agencies file."""

from __future__ import annotations

import json
import sys

import click

from pantau.shell import AppContext, pass_app


def _load(app: AppContext, path: str | None):  # -> nlp.taxonomy.Taxonomy (imported lazily)
    from nlp.taxonomy import Taxonomy

    return Taxonomy.load(path) if path else Taxonomy.from_config(app.config)


@click.group(name="taxonomy")
def command() -> None:
    """Topics of public services and the agencies (OPD) responsible for them."""


@command.command()
@click.argument("path", required=False)
@pass_app
def check(app: AppContext, path: str | None) -> None:
    """Validate a taxonomy file (default: the configured one) and print its size."""
    taxonomy = _load(app, path)
    click.echo(f"{taxonomy.source}: {len(taxonomy.topics)} topics, {len(taxonomy.agencies)} agencies, "
               f"{len(taxonomy.keywords)} keywords: OK")


@command.command()
@click.option("--json", "as_json", is_flag=True, help="One JSON object instead of a table.")
@pass_app
def show(app: AppContext, as_json: bool) -> None:
    """List topics with their agency and keyword count."""
    taxonomy = _load(app, None)
    if as_json:
        data = {
            "agencies": {a.slug: {"name": a.name, "short": a.short, "kind": a.kind} for a in taxonomy.agencies.values()},
            "topics": {t.slug: {"name_id": t.name_id, "name_en": t.name_en, "agency": t.agency, "keywords": list(t.keywords)}
                       for t in taxonomy.topics.values()},
        }
        click.echo(json.dumps(data, ensure_ascii=False, indent=1))
        return
    for topic in taxonomy.topics.values():
        agency = taxonomy.agencies[topic.agency]
        click.echo(f"{topic.slug:<16} {topic.name_id:<34} {agency.short:<14} {len(topic.keywords):>3} keywords")


@command.command()
@click.argument("text", required=False)
@pass_app
def match(app: AppContext, text: str | None) -> None:
    """Topics and agencies of TEXT (or of each stdin line) by the shipped topic classifier."""
    from nlp.normalize import normalize
    from nlp.topics import TopicClassifier

    taxonomy = _load(app, None)
    classifier = TopicClassifier.load(taxonomy)
    lines = [text] if text is not None else [line.rstrip("\n") for line in sys.stdin]
    for line, topics in zip(lines, classifier.predict([normalize(line) for line in lines])):
        click.echo(json.dumps({"text": line, "topics": topics, "agencies": taxonomy.agencies_for(topics)}, ensure_ascii=False))
