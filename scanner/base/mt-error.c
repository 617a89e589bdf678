#include "mt-error.h"

G_DEFINE_QUARK(mailtrace - error - quark, mt_error)
