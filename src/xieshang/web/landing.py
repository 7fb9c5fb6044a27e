"""The landing page: where each kind of user starts."""

from __future__ import annotations

from html import escape

from xieshang.config import Settings
from xieshang.demo.seed import CUSTOMER_LOGINS, DEMO_PASSWORD, STAFF_LOGINS

DEMO_LOGINS = [
    *((name, f"借款人 customer ({name})") for name in CUSTOMER_LOGINS),
    *((name, display) for name, _, display in STAFF_LOGINS),
]


def landing_page(settings: Settings) -> str:
    logins = ""
    if settings.demo:
        rows = "".join(
            f"<tr><td>{escape(label)}</td><td><code>{escape(user)}</code></td><td><code>{DEMO_PASSWORD}</code></td></tr>"
            for user, label in DEMO_LOGINS
        )
        logins = f"<h2>演示账号 Demo logins</h2><table><tr><th>角色 Role</th><th>用户名</th><th>密码</th></tr>{rows}</table>"
    return f"""<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>xieshang 协商</title></head>
<body style="font-family: system-ui, sans-serif; max-width: 46rem; margin: 2rem auto; padding: 0 1rem; line-height: 1.5">
<h1>xieshang 协商</h1>
<p>让银行与客户依法、透明、快速地协商还款、处理投诉。Lawful, explained negotiation and complaint handling.</p>
<p><a href="/login"><strong>登录 Sign in</strong></a> — 借款人查看贷款、申请协商、接受方案；坐席与主管审批方案。 Customers see their loans, negotiate and accept offers; agents and supervisors decide offers in their queue.</p>
<ul>
<li><a href="/docs">API 文档 API documentation</a> — 用下方账号在 <code>POST /api/v1/auth/token</code> 登录获取令牌。</li>
<li><a href="/openapi.json">OpenAPI</a></li>
</ul>
{logins}
</body></html>"""
