/* Each unit test file defines mt_test_suite(); check-main.c runs it. */
#pragma once

#include <check.h>

Suite *mt_test_suite(void);
