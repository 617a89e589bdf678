# IMAPSieve: the user moved a message out of Junk, so it is genuine: mailtrace learns its
# sender's fingerprint from it. Into Trash is no such statement.
require ["vnd.dovecot.pipe", "copy", "imapsieve", "environment", "variables"];

if environment :matches "imap.mailbox" "*" {
  set "mailbox" "${1}";
}
if string :is "${mailbox}" ["Trash", "Junk"] {
  stop;
}
pipe :copy "mailtrace" ["learn", "--ham"];
