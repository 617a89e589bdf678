#!/usr/bin/env python3
"""Writes the demo mailbox: two known contacts' past mail (to learn from), their new genuine
mail, an impersonation of each that passes at a glance (right name, right address, sent from
elsewhere with another program), and two from other addresses: Carol's name on free mail, Dan's
address on a look-alike domain; and a stranger who claims to be Microsoft. Real public addresses, so the real geo databases name
their countries and networks.

  demo-mail.py DIR    -> DIR/archive/*.eml and DIR/inbox/*.eml
"""
import os
import sys

CAROL = {  # a designer: her company's relay at OVH, Thunderbird, Paris time
    "from": "Carol Martin <carol@atelier-lumen.fr>",
    "relay": ("mail.atelier-lumen.fr", "51.38.114.20"),
    "client": "User-Agent: Mozilla/5.0 (X11; Linux x86_64; rv:115.0) Gecko/20100101 Thunderbird/115.6.0",
    "charset": "UTF-8",
    "zone": "+0100",
    "subjects": ["Maquettes v%d", "Planning semaine %d", "Retour client %d"],
}
DAN = {  # a US supplier: Microsoft 365, Outlook, Chicago time
    "from": "Dan Miller <dan.miller@northwind-supply.com>",
    "relay": ("EUR05-AM6-obe.outbound.protection.outlook.com", "40.107.22.55"),
    "client": "X-Mailer: Microsoft Outlook 16.0",
    "charset": "us-ascii",
    "zone": "-0600",
    "subjects": ["Order %d shipped", "Invoice %d", "Re: delivery %d"],
}


def message(who, n, subject, relay=None, client=None, charset=None, zone=None, extra_hop=None,
            body=None):
    helo, ip = relay or who["relay"]
    day = 1 + n % 27
    hops = ""
    if extra_hop:
        hops = extra_hop + "\n"
    return (
        f"Received: from {helo} ({helo} [{ip}])\n"
        f"\tby mx.demo-mail.example (Postfix) with ESMTPS id 4Q{n:04d}; "
        f"Tue, {day} Oct 2026 09:{n % 60:02d}:07 +0000\n"
        f"{hops}"
        f"From: {who['from']}\n"
        f"To: Alice Demo <alice@demo-mail.example>\n"
        f"Subject: {subject}\n"
        f"Date: Tue, {day} Oct 2026 10:{n % 60:02d}:00 {zone or who['zone']}\n"
        f"Message-ID: <demo-{n}@{who['from'].split('@')[1][:-1]}>\n"
        f"{client or who['client']}\n"
        f"MIME-Version: 1.0\n"
        f"Content-Type: text/plain; charset={charset or who['charset']}\n\n"
        f"{body or 'See you soon.'}\n"
    )


def write(path, text):
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)


def main():
    out = sys.argv[1]
    for d in ("archive", "inbox"):
        os.makedirs(os.path.join(out, d), exist_ok=True)
    n = 0
    for who, count in ((CAROL, 8), (DAN, 6)):
        for i in range(count):
            n += 1
            subject = who["subjects"][i % 3] % (i + 1)
            write(os.path.join(out, "archive", f"{n:02d}.eml"), message(who, n, subject))
    inbox = [
        message(CAROL, 40, "Maquettes v9"),
        message(DAN, 41, "Order 77 shipped"),
        # Carol, but from a hosting server that a Brazilian address logged into,
        # written with a phone mailer in São Paulo time: the second seed article's pattern.
        message(CAROL, 42, "Facture urgente", relay=("host.psttsxserver.com", "72.52.186.80"),
                client="X-Mailer: Infraware POLARIS Mobile Mailer v2.5", charset="us-ascii",
                zone="-0300",
                extra_hop="Received: from [186.226.237.238] (port=41986 helo=[127.0.0.1])\n"
                          "\tby host.psttsxserver.com with esmtpsa (Exim 4.87); "
                          "Tue, 16 Oct 2026 06:41:30 -0300",
                body="Bonjour, merci de régler la facture ci-jointe aujourd'hui sur le nouveau compte."),
        # Dan, but from a Singapore VPS with a PHP mailing script.
        message(DAN, 43, "Updated bank details", relay=("vps-4471.sg-host.example", "103.253.145.12"),
                client="X-Mailer: PHPMailer 6.8.1 (https://github.com/PHPMailer/PHPMailer)",
                charset="iso-8859-1", zone="+0800",
                body="Please send this month's payment to our new account below."),
        # Carol's name on a free-mail address she never used: an impostor's first message.
        message(dict(CAROL, **{"from": "Carol Martin <carol.martin.atelier@gmail.com>"}), 44,
                "Nouveau RIB", relay=("mail-sor-f41.google.com", "209.85.220.41"),
                client="X-Mailer: Gmail", body="Voici notre nouveau RIB pour les prochains paiements."),
        # Dan's address on a look-alike domain: a capital I in place of the l of "supply".
        message(dict(DAN, **{"from": "Dan Miller <dan.miller@northwind-suppIy.com>"}), 45,
                "Invoice 78", relay=("mail.northwind-suppiy.com", "103.253.145.12"),
                body="Please find invoice 78 attached; note our new bank details."),
        # A stranger who claims to be Microsoft from a domain that is not Microsoft's, with
        # replies to a free-mail inbox: today's commonest phishing, no contact needed.
        message(dict(DAN, **{"from": "Microsoft account team <no-reply@account-protection-alerts.example>"}),
                46, "Unusual sign-in activity", relay=("mail.secure-login-portal.example", "193.42.33.7"),
                client="X-Mailer: PHPMailer 6.8.1\nReply-To: ms.account.recovery@gmail.com",
                body="We detected an unusual sign-in. Verify your account within 24 hours."),
    ]
    for i, text in enumerate(inbox):
        write(os.path.join(out, "inbox", f"{i + 1:02d}.eml"), text)


if __name__ == "__main__":
    main()
