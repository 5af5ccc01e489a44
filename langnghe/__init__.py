"""Lắng Nghe wiring: configuration, the `langnghe` CLI, and the long-running service.

    collectors/ ──items──▶ store/ (DuckDB, the only place with SQL) ◀──reads── dashboard/
         ▲                    ▲
         └── langnghe/service.py runs the scheduler and the Streamlit server in one process

Logic lives in collectors/, nlp/, store/; this package only connects them.
"""

__version__ = "0.1.0"
