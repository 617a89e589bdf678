# mailtrace: trace the message, then tag and file it when it is suspicious.
# `mailtrace-filter` (the same as `mailtrace filter`, in a binary that starts faster) prepends X-Mailtrace-Verdict, -Score, -Reasons, -Trace and, for suspicious
# mail, -Keywords (after removing any X-Mailtrace-* field the sender put there). When it fails
# it exits non-zero: Pigeonhole then keeps the message as it came and this script goes on.
require ["vnd.dovecot.filter", "fileinto", "mailbox", "imap4flags", "variables"];

# The verdict is read only when mailtrace wrote it: when the filter fails, the message comes
# back as it was sent, and a sender could have written an X-Mailtrace-Verdict of their own.
if filter "mailtrace-filter" {
  if header :is "X-Mailtrace-Verdict" "suspicious" {
    # $Suspicious and one keyword per reason, space-separated: addflag sets each.
    if header :matches "X-Mailtrace-Keywords" "*" {
      addflag "${1}";
    } else {
      addflag "$Suspicious";
    }
    fileinto :create "Junk";
    stop;
  }
}
