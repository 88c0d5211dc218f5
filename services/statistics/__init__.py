"""Statistics: the case list's live counts and the monthly report (人民调解月报).

- ``live_counts``: cases per state, category, tier and severity (models.CaseTally), moved inside every
  case change; the case list's counts read it.
- ``months``: ``Month``, a calendar month in Beijing time, the unit of the report.
- ``scope``: which communities a report covers (a community, a street, all) and who may ask for which.
- ``month_figures``: one month's figures per community (``MonthTally``), counted from the records in a
  dozen grouped queries; a scope's figures are the sum of its communities'.
- ``kept_months``: 月报定稿, the figures of a month that is over, taken once and read back
  (models.MonthSnapshot); a late entry dated inside a kept month drops it.
- ``report``: the report of one month and scope: the indicators and their definitions, 环比/同比,
  breakdowns, workload and the twelve-month trend.
- ``report_tables``: the report as tables for services.exports (CSV, XLSX).

Import the modules themselves (``from services.statistics import kept_months``); this file imports
none of them, so services.cases can use ``live_counts`` and ``kept_months`` while ``report`` uses
services.cases.
"""
