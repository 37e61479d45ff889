/*
 * quantities.h: the pure value functions of the quantities plugin, exposed so that the
 * unit tests can reach them without a host. The plugin itself is reached only through
 * cc_plugin_descriptor(); these names are hidden in the shared object (the build uses
 * hidden visibility) and are linked directly into tests/unit/test_quantities.
 */
#ifndef CC_QUANTITIES_H
#define CC_QUANTITIES_H

#include <stddef.h>

/* What cc_quantities_number() saw in the figure it read. */
enum {
    CC_QTY_F_CURRENCY = 1u << 0,      /* a currency sign or code in front ($, US$, EUR) */
    CC_QTY_F_WORDS = 1u << 1,         /* written in words ("twenty-five", "a dozen") */
    CC_QTY_F_DECIMAL = 1u << 2,       /* has a decimal part */
    CC_QTY_F_GROUPED = 1u << 3,       /* thousands separators (1,000 / 1 000) */
    CC_QTY_F_SPACE_GROUPED = 1u << 4, /* ...of which a plain ASCII space */
    CC_QTY_F_LEADING_ZERO = 1u << 5,  /* "007", "0100": an identifier, not a figure */
    CC_QTY_F_SCALED = 1u << 6,        /* a trailing scale word: million, mln, bn, hundred */
    CC_QTY_F_ATTACHED_M = 1u << 7,    /* "100m" without a currency: metres, left unscaled */
    CC_QTY_F_UNIT = 1u << 8,          /* a unit glued to the digits: 5km, 10kg, 3pct */
    CC_QTY_F_NEGATIVE = 1u << 9       /* a minus sign or word in front: -30, minus 5 */
};

typedef struct cc_qty_number {
    double value;           /* the figure with any scale applied */
    double scale;           /* the multiplier of the trailing scale word, 1 if none */
    unsigned flags;         /* CC_QTY_F_* */
    size_t int_digits;      /* digits before any decimal point (separators not counted) */
    size_t first_group_len; /* bytes from the start of the text to the end of the first
                               run of digits (to undo a "14 100" space grouping) */
    size_t unit_off;        /* with CC_QTY_F_UNIT / _ATTACHED_M: where the glued unit starts */
} cc_qty_number_t;

/* Read one figure: optional minus (-, U+2212, "minus", "negative"), optional currency
 * sign, then digits (1,000 / 1 000 / 1.5) with an
 * optional scale (million, mln, bn, thousand, attached m/k/bn) or a number in words
 * ("twenty-five", "two hundred and fifty thousand", "a dozen", "half a million").
 * Returns 0 and fills *out, or -1 when the text is not entirely one figure. */
int cc_quantities_number(const char *s, size_t len, cc_qty_number_t *out);

/* Value of a fraction as news writes it after a qualifier: "half", "a third", "one
 * quarter", "two-thirds", "three quarters", "1/2" (a digit over 2..10). Returns 0 and sets
 * *value, or -1 when the text is not one. */
int cc_quantities_fraction(const char *s, size_t len, double *value);

/* Map a qualifier phrase ("more than", "an estimated", "just under", "another"; case
 * and inner whitespace free) to the value model's word ("more_than", "approx", "nearly",
 * "exact", ...); comparison verbs ("exceeded": more_than), signs (> < >= <= ~) and the
 * inclusive forms ("greater than or equal to", "equal to or less than": at_least /
 * up_to) too. *additive (may be NULL) is set to 1 for "another", "an additional", "a
 * further". Returns NULL for a phrase it does not know. */
const char *cc_quantities_qualifier(const char *s, size_t len, int *additive);

/* Interval of a vague amount: "several hundred" 300..900, "a few thousand" 2000..5000,
 * "tens of thousands of" 20000..99999, "dozens" 24..99, "several" 3..9, "a few" 2..5.
 * Returns 0, or -1 when the phrase is not one it knows. */
int cc_quantities_vague(const char *s, size_t len, double *low, double *high);

#endif /* CC_QUANTITIES_H */
