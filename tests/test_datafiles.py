from __future__ import annotations

import os

import pytest

from auditor.datafiles import DataFileError, load_yaml


def test_cache_follows_edits(tmp_path, monkeypatch):
    monkeypatch.setenv("AUDITOR_CACHE_DIR", str(tmp_path / "cache"))
    data = tmp_path / "d.yaml"
    data.write_text("a: 1\n")
    assert load_yaml(data) == {"a": 1}
    assert list((tmp_path / "cache" / "data").glob("*.json"))  # cached
    assert load_yaml(data) == {"a": 1}
    data.write_text("a: 22\n")  # size changes -> miss
    assert load_yaml(data) == {"a": 22}
    st = data.stat()
    data.write_text("a: 33\n")  # same size, new mtime -> miss
    os.utime(data, ns=(st.st_atime_ns, st.st_mtime_ns + 10_000_000))
    assert load_yaml(data) == {"a": 33}


def test_unwritable_cache_still_loads(tmp_path, monkeypatch):
    blocker = tmp_path / "file-not-dir"
    blocker.write_text("x")
    monkeypatch.setenv("AUDITOR_CACHE_DIR", str(blocker))
    data = tmp_path / "d.yaml"
    data.write_text("- x\n")
    assert load_yaml(data) == ["x"]


def test_corrupt_cache_entry_is_ignored(tmp_path, monkeypatch):
    monkeypatch.setenv("AUDITOR_CACHE_DIR", str(tmp_path / "cache"))
    data = tmp_path / "d.yaml"
    data.write_text("k: v\n")
    load_yaml(data)
    for entry in (tmp_path / "cache" / "data").glob("*.json"):
        entry.write_text("{not json")
    assert load_yaml(data) == {"k": "v"}


def test_bad_yaml_names_the_file(tmp_path, monkeypatch):
    monkeypatch.setenv("AUDITOR_CACHE_DIR", str(tmp_path / "cache"))
    data = tmp_path / "broken.yaml"
    data.write_text("a: [1\n")
    with pytest.raises(DataFileError, match="broken.yaml: not valid YAML"):
        load_yaml(data)
