/*
 * events.h: grouping documents and their claims into events (docs/events.md).
 *
 * An event is one incident reported by one or more documents. cc_events_group puts every
 * document that has no event yet into one: documents are compared by the words they
 * share (TF-IDF over the whole database, the highest weighted words of each), the
 * fingerprint plugin's MinHash signatures (near-copies, found through locality-sensitive
 * buckets) and their publication dates (a window); candidate pairs come from an inverted
 * index of words and from the MinHash buckets, never from all pairs. Groups are merged by
 * average linkage while the mean similarity of their documents is at least the policy's
 * `join`; an event already stored may absorb new documents and groups but is never
 * merged with another stored event, so event ids are stable across runs.
 *
 * Each claim of a newly grouped document then gets its event: the document's, unless the
 * claim's time lies well before that event began, in which case it is placed in the
 * stored event of that time whose documents share its sentence's words, or in none
 * (NULL). A claim without a time that follows such a claim in the same paragraph goes
 * with it.
 *
 * The policy (window, weights, thresholds, stop words) is the Lua module named by the
 * configuration's `events` setting (scripts/events.lua by default).
 *
 * Ownership: nothing returned needs freeing; everything handed in is borrowed.
 */
#ifndef CC_EVENTS_H
#define CC_EVENTS_H

#include <stdint.h>

#include "config.h"
#include "store.h"

typedef struct cc_events_opts {
    int regroup;              /* 1: forget every event and group the whole database */
} cc_events_opts_t;

typedef struct cc_events_counts {
    long docs;                /* documents grouped in this call (copies not counted) */
    long events_opened;       /* events created */
    long events_grown;        /* stored events that received documents */
    long claims_placed;       /* claims given an event */
    long claims_elsewhere;    /* of those, placed in another event than their document's */
    long claims_none;         /* claims about an incident the database does not hold */
} cc_events_counts_t;

/* Groups the documents without an event. run_id: the run that opens new events (0:
 * none). err receives a message naming the policy file or the database on failure.
 * Writes in one transaction: on failure nothing changes. */
cc_status_t cc_events_group(cc_store_t *s, const cc_config_t *cfg, int64_t run_id,
                            const cc_events_opts_t *opts, cc_events_counts_t *counts,
                            char *err, size_t errlen);

/* cc_events_group that also reports a failure: printed as `crosscheck: events: ...` and
 * recorded in the errors table (stage "events") under run_id. */
cc_status_t cc_events_group_logged(cc_store_t *s, const cc_config_t *cfg, int64_t run_id,
                                   const cc_events_opts_t *opts, cc_events_counts_t *counts);

#endif
