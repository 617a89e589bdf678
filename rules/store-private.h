/* For the modules that keep their own tables in the store (progress.c). */
#pragma once

#include <sqlite3.h>

#include "store.h"

sqlite3 *mt_store_db(MtStore *store);
