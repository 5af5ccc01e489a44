"""Public-opinion surveys (phiếu điều tra dư luận xã hội): from a form export to appendix tables.

    FILE (Google Forms / Microsoft Forms CSV·XLSX, KoboToolbox XLSX, a typed-up spreadsheet)
      │ collectors.imports.open_table — streamed, bounded reading (same limits as item imports)
      ▼
    surveys.propose  columns + a sample of rows ─▶ Questionnaire (per column: kind, options order,
      │              multi-choice separator, demographic role; personal-data columns flagged and dropped)
      │              confirmed on the Khảo sát page or taken as proposed by the CLI; saved with the survey,
      │              so the next wave of the same survey imports in one step
      ▼
    orchestration.surveys.import_survey ─▶ store.surveys (one transaction: nothing is half-imported)
      │                                     free-text answers go through the NLP pipeline
      ▼
    surveys.stats   frequencies + Wilson 95% CI (statsmodels) · Likert mean and top-two-box ·
      │             cross-tabs + chi-square (scipy) with a plain Vietnamese note · wave comparison
      ▼
    reports.survey  DOCX (state or Party layout, like the weekly report) + XLSX, "Phụ lục 1A: …" tables

Respondents are numbered 1…n in file order and nothing else identifies them.
"""
