# IMAPSieve: the user moved or copied a message into Junk. mailtrace unlearns what it taught
# about its sender and refuses it from now on (`mailtrace learn --spam` reads it on stdin).
require ["vnd.dovecot.pipe", "copy", "imapsieve"];

pipe :copy "mailtrace" ["learn", "--spam"];
