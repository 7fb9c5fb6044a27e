"""/app/policy: the policy in force and its source, the version history, diffs between versions, a
draft proposed from the review, and four-eyes approval — in zh and en."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from tests import factories
from tests.web.test_pages import csrf_of, sign_in
from xieshang.kit.context import Context
from xieshang.models.user import Role
from xieshang.policy.document import default_text

DRAFT = (
    default_text()
    .replace('version: "2026.1"', 'version: "2026.2"')
    .replace("effective_from: 2026-01-01", "effective_from: 2026-06-20")
    .replace('    max_waiver: "10000.00"', '    max_waiver: "15000.00"')
)


def test_a_draft_is_proposed_approved_by_someone_else_and_shown_with_its_diff(
    client: TestClient, ctx: Context
) -> None:
    for name, role in (
        ("policy-author", Role.COMPLIANCE),
        ("policy-second", Role.COMPLIANCE),
        ("policy-supervisor", Role.SUPERVISOR),
    ):
        factories.user(ctx, role, name)
    ctx.session.commit()

    sign_in(client, "policy-author")
    page = client.get("/app/policy")
    assert page.status_code == 200
    assert 'id="policy-source"' in page.text
    assert "基线" in page.text
    assert "compare-from" not in page.text, "nothing to compare with one version"
    review = client.post("/app/policy/review", data={"csrf": csrf_of(page.text), "draft": DRAFT})
    assert "changed authority.agent.max_waiver: 10000.00 → 15000.00" in review.text
    assert 'id="propose-draft"' in review.text
    assert '<label for="propose-note">' in review.text
    empty_note = client.post(
        "/app/policy/propose", data={"csrf": csrf_of(page.text), "draft": DRAFT, "note": ""}
    )
    assert empty_note.status_code == 422
    assert 'id="propose-problem"' in empty_note.text
    # a browser sends the hidden draft with CRLF line ends; the stored text is the same document
    proposed = client.post(
        "/app/policy/propose",
        data={
            "csrf": csrf_of(page.text),
            "draft": DRAFT.replace("\n", "\r\n"),
            "note": "代理人减免权限提高 agents may waive more",
        },
        follow_redirects=False,
    )
    assert proposed.status_code == 303
    mine = client.get(proposed.headers["location"])
    assert "待审批的政策版本" in mine.text
    assert "四眼原则" in mine.text
    assert 'id="approve-' not in mine.text, "the proposer cannot approve their own draft"
    version_id = re.search(r'id="version-(\d+)"', mine.text)
    assert version_id is not None
    again = client.post(
        "/app/policy/propose",
        data={"csrf": csrf_of(page.text), "draft": DRAFT, "note": "twice"},
    )
    assert again.status_code == 422
    assert "已存在，请为草稿另取版本号" in again.text, "the refusal in the page's language"

    client.post("/logout", data={"csrf": csrf_of(mine.text)})
    sign_in(client, "policy-second")
    client.get("/lang/en?next=/app/policy")
    pending = client.get("/app/policy")
    assert "Proposals awaiting a decision" in pending.text
    assert f'<label for="approve-note-{version_id.group(1)}">' in pending.text
    approved = client.post(
        f"/app/policy/versions/{version_id.group(1)}/approve",
        data={"csrf": csrf_of(pending.text), "note": "checked: only the waiver"},
        follow_redirects=False,
    )
    assert approved.status_code == 303
    after = client.get("/app/policy")
    assert "<h1>Policy 2026.2</h1>" in after.text
    assert "approved by policy-second" in after.text
    assert "baseline (superseded)" in after.text
    assert re.search(r"in force</span>", after.text)
    # the default comparison: the newest version against the one it was written on
    assert "2026.1 → 2026.2" in after.text
    assert "changed authority.agent.max_waiver: 10000.00 → 15000.00" in after.text
    diff = after.text[after.text.index('id="line-diff"') :]
    assert '<span aria-hidden="true">−</span> removed' in diff
    assert '<span aria-hidden="true">+</span> added' in diff
    assert "max_waiver: &#34;15000.00&#34;" in diff
    twice = client.post(
        f"/app/policy/versions/{version_id.group(1)}/reject",
        data={"csrf": csrf_of(after.text), "note": "no"},
    )
    assert twice.status_code == 409
    assert 'id="decision-problem"' in twice.text
    assert "already approved" in twice.text

    client.post("/logout", data={"csrf": csrf_of(after.text)})
    sign_in(client, "policy-supervisor")
    read = client.get("/app/policy?from=2026.2&to=2026.1")
    assert read.status_code == 200
    assert "2026.2 → 2026.1" in read.text
    assert "changed authority.agent.max_waiver: 15000.00 → 10000.00" in read.text
    review = client.post("/app/policy/review", data={"csrf": csrf_of(read.text), "draft": DRAFT})
    assert 'id="propose-draft"' not in review.text, "only compliance proposes"
    refused = client.post(
        "/app/policy/propose",
        data={"csrf": csrf_of(read.text), "draft": DRAFT.replace("2026.2", "2026.3"), "note": "x"},
    )
    assert refused.status_code == 403
    assert "may not do policy.propose" in refused.text
    unknown = client.get("/app/policy?from=2026.1&to=1999.9")
    assert unknown.status_code == 404
