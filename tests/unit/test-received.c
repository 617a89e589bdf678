/* Received shapes from real MTAs, one row each, with the exact fields expected.
 * Every row runs twice: with LF line ends and with CRLF (Pigeonhole hands CRLF). */
#include "check-main.h"
#include <string.h>

#include "received.h"

typedef struct {
  const char *name;
  const char *in;
  const char *helo, *rdns, *ip, *by, *with, *id, *for_addr, *envelope_from, *ident, *date;
  gboolean tls, auth, skipped;
  guint findings; /* bits that must be set */
} Row;

static const Row rows[] = {
    {.name = "postfix rdns tls",
     .in = "from mail.example.org (mail.example.org [192.0.2.10])\n"
           "\t(using TLSv1.3 with cipher TLS_AES_256_GCM_SHA384 (256/256 bits)\n"
           "\t key-exchange X25519 server-signature RSA-PSS (2048 bits) server-digest SHA256)\n"
           "\t(No client certificate requested)\n"
           "\tby mx.example.net (Postfix) with ESMTPS id 4AB12C0F3\n"
           "\tfor <alice@example.net>; Tue, 14 Mar 2023 10:15:02 +0100 (CET)",
     .helo = "mail.example.org",
     .rdns = "mail.example.org",
     .ip = "192.0.2.10",
     .by = "mx.example.net",
     .with = "ESMTPS",
     .id = "4AB12C0F3",
     .for_addr = "alice@example.net",
     .date = "2023-03-14T10:15:02+01:00",
     .tls = TRUE},
    {.name = "postfix unknown (seed 000)",
     .in = "from miho.ribefsfield.com (unknown [173.0.145.21])\n"
           "\tby dallas.example.net (Postfix) with ESMTP id 3F2A81C02\n"
           "\tfor <kilroy@example.net>; Wed, 9 Apr 2014 15:43:52 -0400 (EDT)",
     .helo = "miho.ribefsfield.com",
     .ip = "173.0.145.21",
     .by = "dallas.example.net",
     .with = "ESMTP",
     .id = "3F2A81C02",
     .for_addr = "kilroy@example.net",
     .date = "2014-04-09T15:43:52-04:00"},
    {.name = "postfix ipv6",
     .in = "from mail.example.org (mail.example.org [IPv6:2001:DB8::25])\n"
           "\tby mx.example.net (Postfix) with ESMTP id 4Q9\n"
           "\tfor <bob@example.net>; Mon, 1 May 2023 08:00:00 +0000",
     .helo = "mail.example.org",
     .rdns = "mail.example.org",
     .ip = "2001:db8::25",
     .by = "mx.example.net",
     .with = "ESMTP",
     .id = "4Q9",
     .for_addr = "bob@example.net",
     .date = "2023-05-01T08:00:00+00:00"},
    {.name = "postfix authenticated sender",
     .in = "from [192.168.1.20] (dsl-198-51-100-7.example.com [198.51.100.7])\n"
           "\t(Authenticated sender: alice@example.org)\n"
           "\tby smtp.example.org (Postfix) with ESMTPSA id 1B2C3D4E5F\n"
           "\tfor <bob@example.net>; Wed, 2 Aug 2023 14:00:00 +0200 (CEST)",
     .helo = "[192.168.1.20]",
     .rdns = "dsl-198-51-100-7.example.com",
     .ip = "198.51.100.7",
     .by = "smtp.example.org",
     .with = "ESMTPSA",
     .id = "1B2C3D4E5F",
     .for_addr = "bob@example.net",
     .date = "2023-08-02T14:00:00+02:00",
     .tls = TRUE,
     .auth = TRUE},
    {.name = "exim rdns port helo",
     .in = "from mail.example.org ([192.0.2.44]:51234 helo=smtp.example.org)\n"
           "\tby mx.example.net with esmtps (TLS1.2:ECDHE_RSA_AES_256_GCM_SHA384:256)\n"
           "\t(Exim 4.92)\n\t(envelope-from <alice@example.org>)\n\tid 1qXyZa-0001Ab-Cd\n"
           "\tfor bob@example.net; Thu, 03 Aug 2023 09:12:45 +0100",
     .helo = "smtp.example.org",
     .rdns = "mail.example.org",
     .ip = "192.0.2.44",
     .by = "mx.example.net",
     .with = "esmtps",
     .id = "1qXyZa-0001Ab-Cd",
     .for_addr = "bob@example.net",
     .envelope_from = "alice@example.org",
     .date = "2023-08-03T09:12:45+01:00",
     .tls = TRUE},
    {.name = "exim esmtpsa (seed 003)",
     .in = "from [186.226.237.238] (port=41986 helo=[127.0.0.1])\n"
           "\tby host.psttsxserver.com with esmtpsa (TLSv1:DHE-RSA-AES256-SHA:256)\n"
           "\t(Exim 4.87)\n\t(envelope-from <dan@gtacs.com>)\n\tid 1cyP1J-0004K8-OR\n"
           "\tfor rfg-myspace@ronsdomain.example.com; Wed, 12 Apr 2017 16:37:42 -0400",
     .helo = "[127.0.0.1]",
     .ip = "186.226.237.238",
     .by = "host.psttsxserver.com",
     .with = "esmtpsa",
     .id = "1cyP1J-0004K8-OR",
     .for_addr = "rfg-myspace@ronsdomain.example.com",
     .envelope_from = "dan@gtacs.com",
     .date = "2017-04-12T16:37:42-04:00",
     .tls = TRUE,
     .auth = TRUE},
    {.name = "exim rdns equals helo",
     .in = "from mail.example.org ([192.0.2.45])\n\tby mx.example.net with esmtp (Exim 4.96)\n"
           "\t(envelope-from <a@example.org>)\n\tid 1r2s3t-000AbC-2y; Fri, 04 Aug 2023 10:00:00 "
           "+0000",
     .helo = "mail.example.org",
     .rdns = "mail.example.org",
     .ip = "192.0.2.45",
     .by = "mx.example.net",
     .with = "esmtp",
     .id = "1r2s3t-000AbC-2y",
     .envelope_from = "a@example.org",
     .date = "2023-08-04T10:00:00+00:00"},
    {.name = "exim with local",
     .in = "from alice by mail.example.org with local (Exim 4.96)\n"
           "\t(envelope-from <alice@example.org>)\n\tid 1r2s3t-000AbC-1x\n"
           "\tfor bob@example.net; Fri, 04 Aug 2023 10:00:00 +0000",
     .helo = "alice",
     .by = "mail.example.org",
     .with = "local",
     .id = "1r2s3t-000AbC-1x",
     .for_addr = "bob@example.net",
     .envelope_from = "alice@example.org",
     .date = "2023-08-04T10:00:00+00:00",
     .skipped = TRUE},
    {.name = "sendmail authenticated bits",
     .in = "from [192.0.2.77] (host77.example.com [192.0.2.77])\n\t(authenticated bits=0)\n"
           "\tby mail.example.org (8.15.2/8.15.2) with ESMTP id 33ABcdEf012345\n"
           "\t(version=TLSv1.2 cipher=ECDHE-RSA-AES128-GCM-SHA256 bits=128 verify=NO)\n"
           "\tfor <carol@example.net>; Mon, 7 Aug 2023 11:22:33 -0700",
     .helo = "[192.0.2.77]",
     .rdns = "host77.example.com",
     .ip = "192.0.2.77",
     .by = "mail.example.org",
     .with = "ESMTP",
     .id = "33ABcdEf012345",
     .for_addr = "carol@example.net",
     .date = "2023-08-07T11:22:33-07:00",
     .tls = TRUE,
     .auth = TRUE},
    {.name = "sendmail no rdns",
     .in =
         "from helo.example.com ([198.51.100.23])\n"
         "\tby mail.example.org (8.14.4/8.14.4) with ESMTP id r8K1; Tue, 8 Aug 2023 01:02:03 +0000",
     .helo = "helo.example.com",
     .ip = "198.51.100.23",
     .by = "mail.example.org",
     .with = "ESMTP",
     .id = "r8K1",
     .date = "2023-08-08T01:02:03+00:00"},
    {.name = "sendmail ident may be forged",
     .in =
         "from spoof.example.com (user@host.example.net [198.51.100.99] (may be forged))\n"
         "\tby mail.example.org (8.12.11/8.12.11) with SMTP id h1; Mon, 2 Sep 2002 10:00:00 -0400",
     .helo = "spoof.example.com",
     .rdns = "host.example.net",
     .ip = "198.51.100.99",
     .by = "mail.example.org",
     .with = "SMTP",
     .id = "h1",
     .ident = "user",
     .date = "2002-09-02T10:00:00-04:00",
     .findings = MT_HOP_FINDING_MAY_BE_FORGED},
    {.name = "qmail unknown HELO",
     .in = "from unknown (HELO mta.example.org) (203.0.113.5)\n"
           "  by mail.example.net with SMTP; 9 Aug 2023 12:00:00 -0000",
     .helo = "mta.example.org",
     .ip = "203.0.113.5",
     .by = "mail.example.net",
     .with = "SMTP",
     .date = "2023-08-09T12:00:00+00:00"},
    {.name = "qmail ident",
     .in = "from mail.example.org (HELO mail.example.org) (postfix@203.0.113.6)\n"
           "  by mx.example.net with SMTP; 10 Aug 2023 08:00:00 -0000",
     .helo = "mail.example.org",
     .rdns = "mail.example.org",
     .ip = "203.0.113.6",
     .by = "mx.example.net",
     .with = "SMTP",
     .ident = "postfix",
     .date = "2023-08-10T08:00:00+00:00"},
    {.name = "qmail invoked by uid",
     .in = "(qmail 12345 invoked by uid 89); 10 Aug 2023 08:00:01 -0000",
     .date = "2023-08-10T08:00:01+00:00",
     .skipped = TRUE},
    {.name = "qmail invoked from network",
     .in = "(qmail 4321 invoked from network); 10 Aug 2023 08:00:00 -0000",
     .date = "2023-08-10T08:00:00+00:00",
     .skipped = TRUE},
    {.name = "smtpsvc unverified",
     .in = "from mail.example.org ([192.0.2.88] unverified) by EXCH01.corp.example.com with "
           "Microsoft SMTPSVC(6.0.3790.4675);\n\t Fri, 11 Aug 2023 09:00:00 -0400",
     .helo = "mail.example.org",
     .ip = "192.0.2.88",
     .by = "exch01.corp.example.com",
     .with = "Microsoft SMTPSVC",
     .date = "2023-08-11T09:00:00-04:00"},
    {.name = "smtpsvc rdns failed",
     .in = "from relay.example.org ([198.51.100.31] RDNS failed) by mail.example.com with "
           "Microsoft SMTPSVC(6.0.3790.1830); Sat, 12 Aug 2023 10:00:00 +0200",
     .helo = "relay.example.org",
     .ip = "198.51.100.31",
     .by = "mail.example.com",
     .with = "Microsoft SMTPSVC",
     .date = "2023-08-12T10:00:00+02:00"},
    {.name = "microsoft 365 frontend",
     .in = "from mail-eopbgr80052.outbound.protection.outlook.com (40.107.8.52) by\n"
           " DB5EUR03FT012.mail.protection.outlook.com (10.152.20.161) with Microsoft SMTP\n"
           " Server (version=TLS1_2, cipher=TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384) id\n"
           " 15.20.6652.20 via Frontend Transport; Sun, 13 Aug 2023 07:00:00 +0000",
     .helo = "mail-eopbgr80052.outbound.protection.outlook.com",
     .ip = "40.107.8.52",
     .by = "db5eur03ft012.mail.protection.outlook.com",
     .with = "Microsoft SMTP Server",
     .id = "15.20.6652.20",
     .date = "2023-08-13T07:00:00+00:00",
     .tls = TRUE},
    {.name = "microsoft 365 mapi zone id",
     .in = "from AM6PR01MB1234.eurprd01.prod.exchangelabs.com ([fe80::1d4c:2b3a:9e8f:7a6b%9]) by\n"
           " AM6PR01MB1234.eurprd01.prod.exchangelabs.com ([fe80::1d4c:2b3a:9e8f:7a6b%9]) with\n"
           " mapi id 15.20.6652.019; Sun, 13 Aug 2023 06:59:58 +0000",
     .helo = "AM6PR01MB1234.eurprd01.prod.exchangelabs.com",
     .ip = "fe80::1d4c:2b3a:9e8f:7a6b",
     .by = "am6pr01mb1234.eurprd01.prod.exchangelabs.com",
     .with = "mapi",
     .id = "15.20.6652.019",
     .date = "2023-08-13T06:59:58+00:00",
     .auth = TRUE},
    {.name = "gmail origin trailing dot",
     .in = "from mail-sor-f41.google.com (mail-sor-f41.google.com. [209.85.220.41])\n"
           "        by mx.google.com with SMTPS id a640c23a62f3a-99bc3b1c5d2sor1234567b.42\n"
           "        for <bob@example.net>\n        (Google Transport Security);\n"
           "        Mon, 14 Aug 2023 05:00:00 -0700 (PDT)",
     .helo = "mail-sor-f41.google.com",
     .rdns = "mail-sor-f41.google.com",
     .ip = "209.85.220.41",
     .by = "mx.google.com",
     .with = "SMTPS",
     .id = "a640c23a62f3a-99bc3b1c5d2sor1234567b.42",
     .for_addr = "bob@example.net",
     .date = "2023-08-14T05:00:00-07:00",
     .tls = TRUE},
    {.name = "gmail internal no from",
     .in = "by 2002:a05:6a10:a0d1:b0:4e6:3d3a:1f2c with SMTP id e17csp1234567pxv;\n"
           "        Mon, 14 Aug 2023 05:00:01 -0700 (PDT)",
     .by = "2002:a05:6a10:a0d1:b0:4e6:3d3a:1f2c",
     .with = "SMTP",
     .id = "e17csp1234567pxv",
     .date = "2023-08-14T05:00:01-07:00",
     .skipped = TRUE},
    {.name = "gmail esmtpsa submission",
     .in = "from [192.168.1.3] (c-198-51-100-5.hsd1.ca.example.net. [198.51.100.5])\n"
           "        by smtp.gmail.com with ESMTPSA id k4-20020a170902c40400b001b8sm1234567plk.12\n"
           "        for <bob@example.net>\n"
           "        (version=TLS1_3 cipher=TLS_AES_128_GCM_SHA256 bits=128/128);\n"
           "        Mon, 14 Aug 2023 04:59:59 -0700 (PDT)",
     .helo = "[192.168.1.3]",
     .rdns = "c-198-51-100-5.hsd1.ca.example.net",
     .ip = "198.51.100.5",
     .by = "smtp.gmail.com",
     .with = "ESMTPSA",
     .id = "k4-20020a170902c40400b001b8sm1234567plk.12",
     .for_addr = "bob@example.net",
     .date = "2023-08-14T04:59:59-07:00",
     .tls = TRUE,
     .auth = TRUE},
    {.name = "courier auth mapped v4",
     .in = "from host.example.org (host.example.org [::ffff:192.0.2.55])\n"
           "  (AUTH: LOGIN alice@example.org, TLS: TLSv1/SSLv3,256bits,AES256-SHA)\n"
           "  by mail.example.com with ESMTPSA; Tue, 15 Aug 2023 10:00:00 -0400",
     .helo = "host.example.org",
     .rdns = "host.example.org",
     .ip = "192.0.2.55",
     .by = "mail.example.com",
     .with = "ESMTPSA",
     .date = "2023-08-15T10:00:00-04:00",
     .tls = TRUE,
     .auth = TRUE},
    {.name = "courier softdnserr",
     .in = "from helo.example.org (softdnserr [::ffff:198.51.100.44])\n"
           "  by mail.example.com with ESMTP; Tue, 15 Aug 2023 10:05:00 -0400",
     .helo = "helo.example.org",
     .ip = "198.51.100.44",
     .by = "mail.example.com",
     .with = "ESMTP",
     .date = "2023-08-15T10:05:00-04:00"},
    {.name = "communigate account",
     .in = "from [203.0.113.77] (account alice@example.org HELO laptop.example.org)\n"
           "  by mail.example.org (CommuniGate Pro SMTP 6.1.7)\n"
           "  with ESMTPA id 12345678 for bob@example.net; Wed, 16 Aug 2023 11:00:00 +0300",
     .helo = "laptop.example.org",
     .ip = "203.0.113.77",
     .by = "mail.example.org",
     .with = "ESMTPA",
     .id = "12345678",
     .for_addr = "bob@example.net",
     .date = "2023-08-16T11:00:00+03:00",
     .auth = TRUE},
    {.name = "webmail http",
     .in = "from 198.51.100.12 (SquirrelMail authenticated user alice)\n"
           "  by webmail.example.org with HTTP; Thu, 17 Aug 2023 12:00:00 +0000",
     .ip = "198.51.100.12",
     .by = "webmail.example.org",
     .with = "HTTP",
     .date = "2023-08-17T12:00:00+00:00",
     .auth = TRUE},
    {.name = "upper-case writer",
     .in = "FROM MAIL.EXAMPLE.ORG (MAIL.EXAMPLE.ORG [192.0.2.99]) BY MX.EXAMPLE.NET WITH ESMTP "
           "ID ABC123; Fri, 18 Aug 2023 10:00:00 +0000",
     .helo = "MAIL.EXAMPLE.ORG",
     .rdns = "mail.example.org",
     .ip = "192.0.2.99",
     .by = "mx.example.net",
     .with = "ESMTP",
     .id = "ABC123",
     .date = "2023-08-18T10:00:00+00:00"},
    {.name = "lmtp same host",
     .in = "from mail.example.net\n\tby mail.example.net with LMTP\n\tid 4jX2ZGJt3WTqBQAAm8mQ4A\n"
           "\t(envelope-from <alice@example.org>)\n"
           "\tfor <bob@example.net>; Sat, 19 Aug 2023 10:00:00 +0200",
     .helo = "mail.example.net",
     .by = "mail.example.net",
     .with = "LMTP",
     .id = "4jX2ZGJt3WTqBQAAm8mQ4A",
     .for_addr = "bob@example.net",
     .envelope_from = "alice@example.org",
     .date = "2023-08-19T10:00:00+02:00",
     .skipped = TRUE},
    {.name = "lmtp from another host",
     .in = "from mx1.example.net ([192.0.2.3])\n\tby imap.example.net with LMTP id x7\n"
           "\tfor <c@example.net>; Sat, 19 Aug 2023 10:00:00 +0200",
     .helo = "mx1.example.net",
     .ip = "192.0.2.3",
     .by = "imap.example.net",
     .with = "LMTP",
     .id = "x7",
     .for_addr = "c@example.net",
     .date = "2023-08-19T10:00:00+02:00"},
    {.name = "postfix local pickup",
     .in = "by mail.example.org (Postfix, from userid 1000)\n"
           "\tid 5D1F0C0A1; Sun, 20 Aug 2023 10:00:00 +0200 (CEST)",
     .by = "mail.example.org",
     .id = "5D1F0C0A1",
     .date = "2023-08-20T10:00:00+02:00",
     .skipped = TRUE},
    {.name = "fetchmail",
     .in = "from pop.example.com [192.0.2.110]\n"
           "\tby laptop.localdomain with POP3 (fetchmail-6.4.37)\n"
           "\tfor <alice@localhost> (single-drop); Mon, 21 Aug 2023 10:00:00 +0200 (CEST)",
     .helo = "pop.example.com",
     .ip = "192.0.2.110",
     .by = "laptop.localdomain",
     .with = "POP3",
     .for_addr = "alice@localhost",
     .date = "2023-08-21T10:00:00+02:00",
     .skipped = TRUE},
    {.name = "amavis reinjection",
     .in = "from localhost (localhost [127.0.0.1])\n\tby mail.example.org (Postfix) with ESMTP "
           "id 6E2;\n\tTue, 22 Aug 2023 10:00:00 +0200 (CEST)",
     .helo = "localhost",
     .rdns = "localhost",
     .ip = "127.0.0.1",
     .by = "mail.example.org",
     .with = "ESMTP",
     .id = "6E2",
     .date = "2023-08-22T10:00:00+02:00",
     .skipped = TRUE},
    {.name = "amavis content filter",
     .in = "from mail.example.org ([192.168.5.5])\n"
           "\tby localhost (mail.example.org [192.168.5.5]) (amavisd-new, port 10024)\n"
           "\twith ESMTP id abc9; Tue, 22 Aug 2023 10:00:01 +0200 (CEST)",
     .helo = "mail.example.org",
     .ip = "192.168.5.5",
     .by = "localhost",
     .with = "ESMTP",
     .id = "abc9",
     .date = "2023-08-22T10:00:01+02:00",
     .skipped = TRUE},
    /* Broken and hostile input: findings, never a crash. */
    {.name = "empty brackets",
     .in = "from host.example ([]) by mx.example.net with SMTP; Tue, 22 Aug 2023 10:00:00 +0000",
     .helo = "host.example",
     .by = "mx.example.net",
     .with = "SMTP",
     .date = "2023-08-22T10:00:00+00:00"},
    {.name = "by is an address",
     .in = "from a.example (a.example [192.0.2.1]) by postmaster@example.net with SMTP; "
           "Tue, 22 Aug 2023 10:00:00 +0000",
     .helo = "a.example",
     .rdns = "a.example",
     .ip = "192.0.2.1",
     .by = "postmaster@example.net",
     .with = "SMTP",
     .date = "2023-08-22T10:00:00+00:00",
     .findings = MT_HOP_FINDING_BAD_BY},
    {.name = "missing semicolon",
     .in = "from a.example (a.example [192.0.2.1]) by mx.example.net with SMTP id 1 Tue",
     .helo = "a.example",
     .rdns = "a.example",
     .ip = "192.0.2.1",
     .by = "mx.example.net",
     .with = "SMTP",
     .id = "1",
     .findings = MT_HOP_FINDING_NO_DATE},
    {.name = "unclosed comment",
     .in =
         "from a.example (a.example [192.0.2.1] by mx.example.net; Tue, 22 Aug 2023 10:00:00 +0000",
     .helo = "a.example",
     .rdns = "a.example",
     .ip = "192.0.2.1",
     .findings = MT_HOP_FINDING_UNBALANCED | MT_HOP_FINDING_NO_DATE | MT_HOP_FINDING_BAD_BY},
    {.name = "unparsable date",
     .in = "from a.example ([192.0.2.1]) by mx.example.net; yesterday at noon",
     .helo = "a.example",
     .ip = "192.0.2.1",
     .by = "mx.example.net",
     .findings = MT_HOP_FINDING_NO_DATE},
    /* Shapes from other projects' Received test suites, with documentation addresses. */
    {.name = "port after a dot in the literal",
     .in = "from mail.example.org ([192.0.2.24.63559]) by mx.example.net with ESMTP id 17; "
           "Mon, 2 Jan 2023 10:00:00 +0000",
     .helo = "mail.example.org",
     .ip = "192.0.2.24",
     .by = "mx.example.net",
     .with = "ESMTP",
     .id = "17",
     .date = "2023-01-02T10:00:00+00:00"},
    {.name = "angle-bracketed unknown name glued to the literal",
     .in = "from mail.example.org (<unknown.domain>[192.0.2.69]) by mx.example.net with SMTP; "
           "Mon, 2 Jan 2023 10:00:00 +0000",
     .helo = "mail.example.org",
     .ip = "192.0.2.69",
     .by = "mx.example.net",
     .with = "SMTP",
     .date = "2023-01-02T10:00:00+00:00"},
    {.name = "name glued to the literal",
     .in = "from relay.example.org (relay.example.org[192.0.2.103]) by mx.example.net with ESMTP; "
           "Mon, 2 Jan 2023 10:00:00 +0000",
     .helo = "relay.example.org",
     .rdns = "relay.example.org",
     .ip = "192.0.2.103",
     .by = "mx.example.net",
     .with = "ESMTP",
     .date = "2023-01-02T10:00:00+00:00"},
    {.name = "communigate: the HELO literal is not the address",
     .in = "from [198.51.100.5] (account alice@example.org HELO [10.0.0.7]) by mail.example.org "
           "(CommuniGate Pro SMTP 6.3.4) with ESMTPA id 4242; Mon, 2 Jan 2023 10:00:00 +0000",
     .helo = "[10.0.0.7]",
     .ip = "198.51.100.5",
     .by = "mail.example.org",
     .with = "ESMTPA",
     .id = "4242",
     .date = "2023-01-02T10:00:00+00:00",
     .auth = TRUE},
    {.name = "parenthesised address in the literal",
     .in = "from mail.example.org ([(192.0.2.21)]) by mx.example.net with SMTP; "
           "Mon, 2 Jan 2023 10:00:00 +0000",
     .helo = "mail.example.org",
     .ip = "192.0.2.21",
     .by = "mx.example.net",
     .with = "SMTP",
     .date = "2023-01-02T10:00:00+00:00"},
    {.name = "the word HELO is not a name",
     .in = "from unknown (HELO [192.0.2.8]) ([198.51.100.8]) by mx.example.net with SMTP; "
           "Mon, 2 Jan 2023 10:00:00 +0000",
     .helo = "[192.0.2.8]",
     .ip = "198.51.100.8",
     .by = "mx.example.net",
     .with = "SMTP",
     .date = "2023-01-02T10:00:00+00:00"},
    /* A sender chooses its HELO: `;`, ` by ` or a literal in it must not move the receiver's own
     * address or name. */
    {.name = "HELO with a semicolon",
     .in = "from x;y (mail.example.org [198.51.100.30]) by mx.example.net (Postfix) with ESMTP "
           "id 9; Mon, 2 Jan 2023 10:00:00 +0000",
     .helo = "x;y",
     .rdns = "mail.example.org",
     .ip = "198.51.100.30",
     .by = "mx.example.net",
     .with = "ESMTP",
     .id = "9",
     .date = "2023-01-02T10:00:00+00:00"},
    {.name = "HELO with by",
     .in = "from x by evil.example (mail.example.org [198.51.100.31]) by mx.example.net (Postfix) "
           "with ESMTP id 10; Mon, 2 Jan 2023 10:00:00 +0000",
     .helo = "x",
     .rdns = "mail.example.org",
     .ip = "198.51.100.31",
     .by = "mx.example.net",
     .with = "ESMTP",
     .id = "10",
     .date = "2023-01-02T10:00:00+00:00"},
    {.name = "HELO literal with a semicolon: the TCP address wins",
     .in = "from [192.0.2.44]; (unknown [198.51.100.32]) by mx.example.net (Postfix) with ESMTP "
           "id 11; Mon, 2 Jan 2023 10:00:00 +0000",
     .helo = "[192.0.2.44]",
     .ip = "198.51.100.32",
     .by = "mx.example.net",
     .with = "ESMTP",
     .id = "11",
     .date = "2023-01-02T10:00:00+00:00"},
};

static char *
to_crlf(const char *s)
{
  g_auto(GStrv) lines = g_strsplit(s, "\n", -1);
  return g_strjoinv("\r\n", lines);
}

START_TEST(test_shapes)
{
  const Row *r = &rows[_i / 2];
  g_autofree char *in = (_i % 2) ? to_crlf(r->in) : g_strdup(r->in);
  g_autoptr(MtHop) hop = mt_received_parse(in, strlen(in));
  ck_assert_msg(hop != NULL, "%s: did not parse", r->name);
  g_autofree char *date = mt_hop_date_iso(hop);
#define FIELD(f, e)                                                                                \
  ck_assert_msg(g_strcmp0(f, e) == 0, "%s: %s = '%s', expected '%s'", r->name, #f, f, e)
  FIELD(hop->helo, r->helo);
  FIELD(hop->rdns, r->rdns);
  FIELD(hop->ip, r->ip);
  FIELD(hop->by, r->by);
  FIELD(hop->with, r->with);
  FIELD(hop->id, r->id);
  FIELD(hop->for_addr, r->for_addr);
  FIELD(hop->envelope_from, r->envelope_from);
  FIELD(hop->ident, r->ident);
  FIELD(date, r->date);
#undef FIELD
  ck_assert_msg(hop->tls == r->tls, "%s: tls = %d", r->name, hop->tls);
  ck_assert_msg(hop->authenticated == r->auth, "%s: authenticated = %d", r->name,
                hop->authenticated);
  ck_assert_msg(hop->skipped == r->skipped, "%s: skipped = %d", r->name, hop->skipped);
  ck_assert_msg((hop->findings & r->findings) == r->findings, "%s: findings %#x lack %#x", r->name,
                hop->findings, r->findings);
}
END_TEST

/* Whether an absent rDNS means "looked up, none": only where the writer's format says so. */
static const struct {
  const char *in;
  gboolean checked;
} rdns_checked[] = {
    {"from a.example (unknown [192.0.2.1]) by mx.example.net (Postfix) with ESMTP id 1; "
     "Tue, 22 Aug 2023 10:00:00 +0000",
     TRUE},
    {"from [192.0.2.1] (helo=a.example) by mx.example.net with esmtp (Exim 4.96) id "
     "1r2s3t-000AbC-2y; Tue, 22 Aug 2023 10:00:00 +0000",
     TRUE},
    {"from a.example ([192.0.2.1]) by mx.example.net (8.15.2/8.15.2) with ESMTP id 1; "
     "Tue, 22 Aug 2023 10:00:00 +0000",
     TRUE},
    {"from unknown (HELO a.example) (192.0.2.1) by mx.example.net with SMTP; "
     "22 Aug 2023 10:00:00 -0000",
     FALSE},
    {"from a.example (192.0.2.1) by mx.example.net with Microsoft SMTP Server id 15.20.1; "
     "Tue, 22 Aug 2023 10:00:00 +0000",
     FALSE},
    {"from a.example ([192.0.2.1] unverified) by mx.example.net with Microsoft SMTPSVC(6.0); "
     "Tue, 22 Aug 2023 10:00:00 +0000",
     FALSE},
};

START_TEST(test_rdns_checked)
{
  const char *in = rdns_checked[_i].in;
  g_autoptr(MtHop) hop = mt_received_parse(in, strlen(in));
  ck_assert_ptr_nonnull(hop);
  ck_assert_ptr_null(hop->rdns);
  ck_assert_msg(hop->rdns_checked == rdns_checked[_i].checked, "%s", in);
}
END_TEST

static const char *const not_received[] = {
    "",
    "   \r\n\t ",
    "garbage words here",
    "; Tue, 22 Aug 2023 10:00:00 +0000",
    "<<<>>>",
    "[192.0.2.1]",
    "unknown",
};

START_TEST(test_not_received)
{
  const char *in = not_received[_i];
  g_autoptr(MtHop) hop = mt_received_parse(in, strlen(in));
  ck_assert_msg(hop == NULL, "'%s' parsed as a hop", in);
}
END_TEST

START_TEST(test_nul_bytes)
{
  static const char in[] = "from a.example (a.example [192.0.2.1])\0\0 by mx.example.net\0 with "
                           "SMTP; Tue, 22 Aug 2023 10:00:00 +0000";
  g_autoptr(MtHop) hop = mt_received_parse(in, sizeof in - 1);
  ck_assert_ptr_nonnull(hop);
  ck_assert_str_eq(hop->ip, "192.0.2.1");
  ck_assert_str_eq(hop->by, "mx.example.net");
  ck_assert_uint_ne(hop->findings & MT_HOP_FINDING_NUL, 0);
}
END_TEST

START_TEST(test_ten_thousand_comments)
{
  g_autoptr(GString) s = g_string_new("from a.example (a.example [192.0.2.1]) ");
  for (int i = 0; i < 10000; i++)
    g_string_append(s, "(c) ");
  g_string_append(s, "by mx.example.net with SMTP; Tue, 22 Aug 2023 10:00:00 +0000");
  g_autoptr(MtHop) hop = mt_received_parse(s->str, s->len);
  ck_assert_ptr_nonnull(hop);
  ck_assert_str_eq(hop->ip, "192.0.2.1");
  ck_assert_uint_ne(hop->findings & MT_HOP_FINDING_TOO_MANY_COMMENTS, 0);
  ck_assert_uint_ne(hop->findings & MT_HOP_FINDING_TRUNCATED, 0);
}
END_TEST

START_TEST(test_deep_nesting)
{
  g_autoptr(GString) s = g_string_new("from a.example ");
  for (int i = 0; i < 5000; i++)
    g_string_append_c(s, '(');
  g_string_append(s, "[192.0.2.1]");
  g_autoptr(MtHop) hop = mt_received_parse(s->str, s->len);
  ck_assert_ptr_nonnull(hop);
  ck_assert_uint_ne(hop->findings & MT_HOP_FINDING_UNBALANCED, 0);
}
END_TEST

/* Every prefix of every row: a header cut anywhere still parses or is refused cleanly. */
START_TEST(test_every_prefix)
{
  const Row *r = &rows[_i];
  gsize n = strlen(r->in);
  for (gsize k = 0; k <= n; k++) {
    MtHop *hop = mt_received_parse(r->in, k);
    mt_hop_free(hop);
  }
}
END_TEST

Suite *
mt_test_suite(void)
{
  Suite *s = suite_create("received");
  TCase *tc = tcase_create("received");
  tcase_add_loop_test(tc, test_shapes, 0, 2 * G_N_ELEMENTS(rows));
  tcase_add_loop_test(tc, test_not_received, 0, G_N_ELEMENTS(not_received));
  tcase_add_loop_test(tc, test_rdns_checked, 0, G_N_ELEMENTS(rdns_checked));
  tcase_add_test(tc, test_nul_bytes);
  tcase_add_test(tc, test_ten_thousand_comments);
  tcase_add_test(tc, test_deep_nesting);
  tcase_add_loop_test(tc, test_every_prefix, 0, G_N_ELEMENTS(rows));
  suite_add_tcase(s, tc);
  return s;
}
