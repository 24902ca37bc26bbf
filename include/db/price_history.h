/* price_history.h - the price book both ways: prices and catalogue aliases as
 * imports write them, and the whole book as the reports read it. */
#ifndef TOKSTAT_DB_PRICE_HISTORY_H
#define TOKSTAT_DB_PRICE_HISTORY_H

#include <stdint.h>

#include "core/err.h"
#include "core/price_book.h"
#include "db/db.h"

/* A model's price from valid_from on, from a source ("catalogue", global:
 * dataset 0; or "snapshot", of the dataset it was imported into); prices
 * in pico-USD per token, TS_ABSENT = unknown. */
int db_price_put(struct db *st, const char *model, int32_t valid_from, const char *source,
                 int64_t dataset, int64_t prompt, int64_t completion, int64_t import_id,
                 struct ts_err *err);

/* Records that the catalogue id alias (e.g. anthropic/claude-opus-4.6)
 * names the model whose prices are kept as model. */
int db_alias_put(struct db *st, const char *alias, const char *model, int64_t import_id,
                 struct ts_err *err);

/* The prices that may price dataset's usage: the catalogue's (global) and
 * the snapshot prices imported into dataset, never another dataset's; and
 * every catalogue alias. Indexed (price_book_index done); the caller
 * releases *out with price_book_release. */
int db_price_book(struct db *st, int64_t dataset, struct price_book *out, struct ts_err *err);

#endif
