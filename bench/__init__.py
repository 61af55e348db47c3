"""Benchmarks that print figures; timings live here, never in the tests.

Run each from the repository root with the project's virtualenv active:

    python -m bench.interactions --help
    python -m bench.memory --help
    python -m bench.api --help
    python -m bench.gemini_cost --help

Every benchmark runs against loopback only, starts what it needs (database, emulators, the real
bot and API processes) in a temporary directory, stops it all when done, and prints Markdown
tables that docs/performance.md quotes.
"""
