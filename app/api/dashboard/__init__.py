"""The web dashboard: server-rendered pages over the same reads and commands as the API.

Pages authenticate with the session cookies that "Login with Discord" sets, post plain HTML
forms that carry the session's CSRF token (and are refused from another origin), and show
errors as readable pages. See docs/dashboard.md.
"""
