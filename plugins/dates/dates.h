/*
 * dates.h: the pure calendar functions of the dates plugin, exposed so that the unit tests
 * can reach them without a host. The plugin itself is reached only through
 * cc_plugin_descriptor(); these names are hidden in the shared object (the build uses
 * hidden visibility) and are linked directly into tests/unit/test_dates.
 *
 * All of it is proleptic Gregorian arithmetic on plain integers: no struct tm, no
 * mktime/localtime, no time zone, so a value never depends on where the run happens.
 */
#ifndef CC_DATES_H
#define CC_DATES_H

#include <stddef.h>

/* 1 for a leap year. */
int cc_dates_is_leap(int y);

/* Days in month m (1..12) of year y; 0 for a month out of range. */
int cc_dates_days_in_month(int y, int m);

/* Days from 1970-01-01 to y-m-d (negative before it). Any y, m 1..12, d 1..31. */
long cc_dates_days_from_civil(int y, int m, int d);

/* The inverse of cc_dates_days_from_civil. */
void cc_dates_civil_from_days(long days, int *y, int *m, int *d);

/* ISO weekday of y-m-d: 1 Monday .. 7 Sunday. */
int cc_dates_weekday(int y, int m, int d);

/* ISO 8601 week of y-m-d: the week-numbering year (*wy, which differs from y around
 * New Year: 2024-12-30 is 2025-W01, 2021-01-03 is 2020-W53) and the week 1..53. */
void cc_dates_iso_week(int y, int m, int d, int *wy, int *week);

/* The year that puts month m, day d (d 0: the month as a whole) nearest to the reference
 * date ry-rm-rd, among ry-1, ry and ry+1; a tie goes to the earlier year (news reports
 * the past). "January 20" in a 2024-12-28 article is 2025; "October 20" in a 1987-03-15
 * article is 1986; "June" in a December article is the June six months before. */
int cc_dates_infer_year(int ry, int rm, int rd, int m, int d);

/* Read "YYYY-MM-DD" (anything may follow) into *y, *m, *d; 0 on success, -1 when s is
 * NULL or not a valid date. */
int cc_dates_parse_iso(const char *s, int *y, int *m, int *d);

/* Month number 1..12 of a month word as written in news, capitalised: "December",
 * "Dec", "Dec.", "Sept", "Sep"; 0 for anything else (lower case included: "may",
 * "march"). len excludes nothing: "Dec." is 4 bytes. */
int cc_dates_month(const char *s, size_t len);

#endif /* CC_DATES_H */
