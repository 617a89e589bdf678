#include <gmime/gmime.h>

#include "check-main.h"

int
main(void)
{
  g_mime_init();
  SRunner *sr = srunner_create(mt_test_suite());
  srunner_run_all(sr, CK_NORMAL);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  g_mime_shutdown();
  return failed == 0 ? 0 : 1;
}
