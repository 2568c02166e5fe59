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
 *                         "dimensions": [{"code", "name", "score", "coverage", "change",
 *                                         "indicators": [{"code", "name", "value", "unit",
 *                                                         "score", "band"}]}]}}
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

#endif
