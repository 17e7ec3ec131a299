"""OPML import of a real-world-shaped file, export, and the round trip through the CLI."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from bot import cli
from bot.opml import OpmlError, OpmlFeed, read_opml, write_opml

SAMPLE = Path(__file__).parent / "data" / "subscriptions.opml"


def test_nested_outlines_missing_titles_and_duplicates():
    feeds, skipped = read_opml(SAMPLE.read_bytes())
    assert feeds == [
        OpmlFeed("https://wire.example/world.rss", "Example Wire — World"),
        OpmlFeed("https://desk.example/mideast/atom.xml", None),
        OpmlFeed("http://radio.example/feed?lang=en&x=1", "Radio & Culture"),
    ]
    assert skipped == ["gopher://old.example/feed: not an http or https URL"]


def test_export_reads_back_the_same_feeds():
    feeds = [OpmlFeed("https://a.example/rss", "A & B <news>"), OpmlFeed("https://b.example/")]
    assert read_opml(write_opml(feeds)) == (feeds, [])


@pytest.mark.parametrize(
    "document",
    [
        pytest.param(b"", id="empty"),
        pytest.param(b"<rss><channel/></rss>", id="not-opml"),
        pytest.param(b"<opml><body><outline", id="truncated"),
        pytest.param(
            b'<?xml version="1.0"?><!DOCTYPE opml [<!ENTITY a "aaaaaaaaaa">'
            b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]><opml><body>'
            b'<outline xmlUrl="https://x.example/&b;"/></body></opml>',
            id="entity-expansion",
        ),
    ],
)
def test_unreadable_documents_are_refused(document):
    with pytest.raises(OpmlError):
        read_opml(document)


def test_cli_import_then_export_round_trip(tmp_path, capsys):
    db = str(tmp_path / "opml.db")
    assert cli.main(["feeds", "import-opml", str(SAMPLE), "--db", db]) == 0
    assert "imported 3 feeds" in capsys.readouterr().out
    assert cli.main(["feeds", "import-opml", str(SAMPLE), "--db", db]) == 0
    assert "imported 0 feeds" in capsys.readouterr().out
    exported = tmp_path / "out.opml"
    assert cli.main(["feeds", "export-opml", str(exported), "--db", db]) == 0
    feeds, _ = read_opml(exported.read_bytes())
    assert [f.url for f in feeds] == [f.url for f in read_opml(SAMPLE.read_bytes())[0]]
    assert cli.main(["feeds", "export-opml", "--db", db]) == 0
    assert read_opml(io.StringIO(capsys.readouterr().out).read().encode())[0] == feeds


def test_import_of_a_missing_file_exits_2(tmp_path, capsys):
    missing = str(tmp_path / "none.opml")
    assert cli.main(["feeds", "import-opml", missing, "--db", str(tmp_path / "x.db")]) == 2
    assert "cannot read" in capsys.readouterr().err
