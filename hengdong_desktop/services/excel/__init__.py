"""Excel as a door in both directions (openpyxl): the template, the import with its row-level
report, and the exports (a township's own data, the county's 汇总表).

- layout: which sheet holds which entity, with which columns (labels from domain/fields.py)
- writer: styled, print-ready workbooks written in streaming mode, text kept as text
- reader: hostile-file-safe reading of any workbook into plain rows with Excel row numbers
- importer: matching, the rule engine, all-or-nothing writing
- report: the import report as a workbook with the offending cells highlighted
- export: the template, a township's data and the county's 汇总表"""
