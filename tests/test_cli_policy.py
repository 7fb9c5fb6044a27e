"""``xieshang policy list|propose|approve|reject``: the four-eyes lifecycle from the command line."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from xieshang.cli import main
from xieshang.policy.document import default_text


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_propose_list_and_approve_by_two_people(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XIESHANG_DATABASE_URL", f"sqlite:///{tmp_path / 'cli.db'}")
    monkeypatch.setenv("XIESHANG_ARGON2_TIME_COST", "1")
    monkeypatch.setenv("XIESHANG_ARGON2_MEMORY_KIB", "1024")
    assert run(capsys, "db", "upgrade")[0] == 0
    assert run(capsys, "seed-demo", "--customers", "6")[0] == 0
    code, out, _ = run(capsys, "policy", "list")
    assert code == 0
    assert out.splitlines()[0].startswith("in force: 2026.2 from ")
    assert "compliance1" in out
    assert "admin1" in out

    draft = tmp_path / "draft.yaml"
    text = default_text().replace('version: "2026.1"', 'version: "2099.1"')
    draft.write_text(text.replace("effective_from: 2026-01-01", f"effective_from: {date.max}"))
    code, _, err = run(capsys, "policy", "propose", str(draft), "--by", "nobody", "--note", "x")
    assert (code, err.strip()) == (2, "xieshang: error: by: no active user 'nobody'")
    code, _, err = run(capsys, "policy", "propose", str(draft), "--by", "agent1", "--note", "x")
    assert code == 2
    assert "may not do policy.propose" in err
    code, out, _ = run(
        capsys, "policy", "propose", str(draft), "--by", "compliance1", "--note", "raise caps"
    )
    assert code == 0
    assert out.startswith("proposed 2099.1 (id 2), based on 2026.2:")
    assert "changed authority.agent.max_waiver: 15000.00 → 10000.00" in out
    code, _, err = run(capsys, "policy", "approve", "2", "--by", "compliance1", "--note", "ok")
    assert code == 2
    assert "four-eyes" in err
    code, out, _ = run(
        capsys, "policy", "reject", "2", "--by", "admin1", "--note", "reverts 2026.2"
    )
    assert (code, out.strip()) == (0, "rejected 2099.1")
    code, out, _ = run(capsys, "policy", "list")
    assert "2099.1" in out
    assert "rejected" in out
