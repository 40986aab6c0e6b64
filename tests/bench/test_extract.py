from auditor.bench.extract import extract_files

FENCE = "`" * 3


def block(info: str, body: str, above: str = "") -> str:
    return f"{above}\n{FENCE}{info}\n{body}\n{FENCE}\n"


def test_paths_from_info_string_line_above_and_first_line_comment():
    reply = "Sure.\n" + block("python app.py", "a = 1") + block("js", "b()", above="**routes/x.js**") \
        + block("python", "# File: db.py\nc = 3") + block("", "d", above="`templates/t.html`:")
    got = extract_files(reply, "main.py")
    assert got.files == {"app.py": "a = 1\n", "routes/x.js": "b()\n", "db.py": "c = 3\n", "templates/t.html": "d\n"}
    assert got.unplaced == 0


def test_one_unnamed_block_is_the_main_file_and_shell_blocks_are_ignored():
    got = extract_files(block("bash", "pip install flask-cors") + block("python", "x = 1"), "app.py")
    assert got.files == {"app.py": "x = 1\n"}
    got = extract_files(block("python", "x = 1") + block("python", "y = 2"), "app.py")
    assert got.files == {"app.py": "x = 1\n"} and got.unplaced == 1


def test_paths_leaving_the_project_are_rejected():
    got = extract_files(block("python ../../etc/cron.py", "evil") + block("python /abs/x.py", "evil"), "app.py")
    assert got.files == {} and got.rejected == ["../../etc/cron.py", "/abs/x.py"]


def test_longer_fences_and_later_blocks_win():
    reply = "````markdown README.md\n```python\ninner\n```\n````\n" + block("python app.py", "v1") \
        + block("python app.py", "v2")
    got = extract_files(reply, "app.py")
    assert got.files["README.md"] == "```python\ninner\n```\n"
    assert got.files["app.py"] == "v2\n"


def test_no_code_gives_nothing():
    assert extract_files("I cannot help with that.", "app.py").files == {}
