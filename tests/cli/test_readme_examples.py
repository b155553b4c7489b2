"""The README's trend and kwic examples are what the commands print on the
bundled sample archive (at 80 columns, without colour)."""
import re
import shutil

import pytest
from click.testing import CliRunner

from searchidx.cli import cli
from support import CORPUS, REPO, run_cli

EXAMPLE = re.compile(r"```\n\$ (searchidx (?:trend|kwic) [^\n]*)\n(.*?)```", re.S)


@pytest.fixture(scope="module")
def corpus_index(tmp_path_factory):
    d = tmp_path_factory.mktemp("readme")
    shutil.copytree(CORPUS, d / "corpus")
    run_cli("index", d / "corpus", "--index", d / "index", "--quiet", check=0)
    return d / "index"


def examples():
    return EXAMPLE.findall((REPO / "README.md").read_text(encoding="utf-8"))


def test_the_readme_has_both_examples():
    assert [cmd.split()[1] for cmd, _ in examples()] == ["trend", "kwic"]


@pytest.mark.parametrize("command, shown", examples())
def test_readme_example(corpus_index, command, shown):
    args = command.split()[1:] + ["--index", str(corpus_index)]
    result = CliRunner().invoke(cli, args, env={"COLUMNS": "80"})
    assert result.exit_code == 0, result.output
    assert result.stdout == shown
