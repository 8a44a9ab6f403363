"""The command line: help on every command, a fast top-level --help, and the documented flow."""

import subprocess
import sys

import pytest

from pipeline.cli import build_parser, main

from .conftest import CORPUS, GOLD

COMMANDS = ["extract", "eval", "inspect", "rules", "audit", "review"]


@pytest.mark.parametrize("command", COMMANDS)
def test_cli_every_command_has_help(command, capsys):
    with pytest.raises(SystemExit) as exit_info:
        main([command, "--help"])
    assert exit_info.value.code == 0
    assert len(capsys.readouterr().out) > 200
    assert build_parser()._subparsers._group_actions[0].choices[command].description


def test_cli_help_does_not_import_spacy():
    code = "import sys; from pipeline.cli import main\ntry:\n main(['--help'])\nexcept SystemExit: pass\nprint('spacy' in sys.modules, 'pandas' in sys.modules)"
    output = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert output.strip().endswith("False False")


def test_cli_extract_eval_inspect(tmp_path, capsys):
    reference = CORPUS / "baoji-2022-14.md"
    assert main(["extract", str(reference), "--out", str(tmp_path)]) == 0
    assert "1 documents, 29 figures" in capsys.readouterr().out
    assert main(["eval", "--gold", str(GOLD / "baoji-2022-14.csv"), "--pred", str(tmp_path / "metrics.csv"), "--show"]) == 0
    table = capsys.readouterr().out
    assert "baoji-2022-14" in table and "overall" in table
    assert main(["inspect", str(reference)]) == 0
    report = capsys.readouterr().out
    for heading in ("## Metadata", "## Blocks", "## Sections", "## County scopes", "## Figures", "## Set aside"):
        assert heading in report
    assert "«1.4万个» = 14000 个" in report


def test_cli_rules_check(capsys):
    assert main(["rules", "check"]) == 0
    assert "up to date" in capsys.readouterr().out


def test_cli_extract_missing_path_is_exit_2_with_one_line(tmp_path, capsys):
    missing = tmp_path / "no-such-archive"
    assert main(["extract", str(missing), str(CORPUS / "baoji-2022-14.md"), "--out", str(tmp_path / "out")]) == 2
    captured = capsys.readouterr()
    assert captured.err.strip().splitlines() == [f"error: no such file or folder: {missing}"] and captured.out == ""
    assert not (tmp_path / "out").exists()


def test_cli_extract_out_that_is_a_file_is_exit_1_with_one_line(tmp_path, capsys):
    out = tmp_path / "out.txt"
    out.write_text("a file, not a folder")
    assert main(["extract", str(CORPUS / "baoji-2022-14.md"), "--out", str(out)]) == 1
    assert capsys.readouterr().err.strip().splitlines() == [f"error: cannot write to the output folder {out}: it exists and is not a folder"]


def test_cli_extract_help_lists_the_limits(capsys):
    with pytest.raises(SystemExit):
        main(["extract", "--help"])
    text = capsys.readouterr().out
    for option in ("--max-file-bytes", "--max-docx-inflated", "--max-docx-ratio", "--max-docx-members", "--max-pages", "--max-chars"):
        assert option in text


def test_cli_inspect_refuses_a_fifo_without_blocking(tmp_path, capsys):
    import os

    fifo = tmp_path / "pipe.md"
    os.mkfifo(fifo)
    assert main(["inspect", str(fifo)]) == 2
    assert "unsupported:fifo" in capsys.readouterr().err
