/* What one thread keeps between messages: GMime's parser and its options, made once per
 * thread (GMime objects are not shared between threads), for message.c and address.c. */
#pragma once

#include <gmime/gmime.h>

typedef struct {
  GMimeParser *parser;
  GMimeParserOptions *options;
} Reader;

/* Initialises GMime once per process (thread-safe); every entry point of the module calls it. */
void mt_message_library_init(void);

/* The calling thread's reader; GMime is initialised on first use. Returns: (transfer none) */
Reader *mt_message_reader(void);
