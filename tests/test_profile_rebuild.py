"""bench.profile_rebuild: py-spy's raw stacks of a rebuild read as CPU by stage."""

from __future__ import annotations

from pathlib import Path

from bench.profile_rebuild import read

PARENT = 'process 10:"python -c rebuild-index"'
WORKER = 'process 11:"python -c rebuild-index"'
FEED = "_feed (indexer/build.py:191)"
WRITE = "write_chunk (indexer/pipeline.py:72)"
TAG = "tag_entities_many (indexer/prepare.py:87)"


def test_stages(tmp_path: Path) -> None:
    raw = tmp_path / "prof.raw"
    lines = [
        # The innermost stage function names the stage: tagging inside write_chunk.
        (f"{PARENT};{WORKER};{WRITE};{TAG};_mentions (indexer/ner/merge.py:300)", 7),
        (f"{PARENT};{WORKER};{WRITE};index_tokens (index_format/analysis.py:420)", 3),
        # A worker's queue feeder waiting is no CPU.
        (f"{PARENT};{WORKER};_bootstrap (threading.py:1);Condition.wait (threading.py:320)", 50),
        (f"{PARENT};{FEED};read (indexer/sources/files.py:10)", 2),
        (f"{PARENT};main (indexer/cli.py:1)", 1),
    ]
    raw.write_text("".join(f"{stack} {n}\n" for stack, n in lines))
    stages, files = read(raw)
    assert stages == {
        "worker: tagging": 7,
        "worker: add_document (analysis, pool, stored)": 3,
        "parent: feed (read, judge, send)": 2,
        "parent: other": 1,
    }
    assert files["worker: tagging"] == {"indexer/ner/merge.py": 7}
