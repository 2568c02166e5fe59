/* Campaign and scorecard reports rendered from one JSON document (built by reports.c):
 *
 *   {"title", "lang": "eu"|"es"|"en", "generated_at",
 *    "campaign": null | {"id", "title", "scope_type", "scope_id", "opens_at", "closes_at",
 *                        "status", "respondents" (null when suppressed), "min_group_size",
 *                        "questionnaire": {"code", "title"}},
 *    "items": [{"code", "section": null | {"code", "title"}, "text",
 *               "scale": {"min", "max", "labels": [text per point]},
 *               ...statistics of results_item_fill, "by_role": [...]}],
 *    "scorecard": null | {"scope_type", "scope_id", "period", "score",
 *                         "dimensions": [{"code", "name", "score", "previous_score",
 *                                         "coverage", "change",
 *                                         "indicators": [{"code", "name", "value", "unit",
 *                                                         "score", "band", "provenance"?,
 *                                                         "compute_key", "source",
 *                                                         "recorded_by", "recorded_at"}]}]}}
 *
 * An item of kind "text" (a free-text question) carries only "n" / "suppressed". An indicator's
 * "provenance" is {"kind": "computed"|"collected"|"survey", "service", "route", "computation",
 * "recorded_by", "when", "questionnaire", "item", "n", "consensus"}; without it the renderers
 * fall back to compute_key (computed) or source / recorded_by (recorded).
 *
 * Both renderers return malloc'd text (NULL on allocation failure) and its length. */
#ifndef EVALUATION_REPORT_H
#define EVALUATION_REPORT_H

#include <jansson.h>
#include <stddef.h>

/* UTF-8 CSV (RFC 4180, CRLF): one row per item x role ("all" first), or, without items, one
 * row per scorecard indicator. Text cells that a spreadsheet would run as a formula are
 * prefixed with an apostrophe. */
char *report_csv(const json_t *report, size_t *len);

/* A self-contained, accessible HTML page: no external scripts, fonts or styles; SVG charts
 * (diverging stacked Likert bars, a radar of dimension scores or of item means) each with a
 * text alternative and a table of the numbers behind it; colour-blind-safe palette; print
 * styles. */
char *report_html(const json_t *report, size_t *len);

/* Fixed texts of the reports in eu / es / en (en for anything else). */
const char *report_text(const char *lang, const char *key);

/* An ISO date or timestamp ("2026-04-15", "2026-04-15T08:00:00Z") for people: "15 April 2026",
 * "15 de abril de 2026", "2026ko apirilaren 15a", a timestamp followed by ", 08:00 UTC".
 * Returns -1 (buf untouched) when iso is not such a date. */
int report_date(const char *lang, const char *iso, char *buf, size_t size);

/* A reporting period for people: "2026", "first half of 2026" / "primer semestre de 2026" /
 * "2026ko lehen seihilekoa", quarters alike, "May 2026" / "mayo de 2026" / "2026ko maiatza".
 * Returns -1 for a malformed period. */
int report_period(const char *lang, const char *period, char *buf, size_t size);

/* The period just before one of the same length ("2026-H1" -> "2025-H2"); -1 if malformed. */
int report_period_previous(const char *period, char *buf, size_t size);

#endif
