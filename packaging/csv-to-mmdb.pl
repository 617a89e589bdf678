#!/usr/bin/perl
# Builds a MaxMind DB from ip-location-db CSV rows, with MaxMind's own writer
# (Debian: libmaxmind-db-writer-perl).
#   csv-to-mmdb.pl asn OUT.mmdb FILE.csv...       rows: first_ip,last_ip,asn,"organisation"
#   csv-to-mmdb.pl country OUT.mmdb FILE.csv...   rows: first_ip,last_ip,CC
#   csv-to-mmdb.pl geolite-country OUT.mmdb FILE.csv...  same rows, GeoLite2 layout
# The asn layout is GeoLite2-ASN's; `country` is ip-location-db's flat `country_code`.
use strict;
use warnings;
use MaxMind::DB::Writer::Tree;

my ($kind, $out, @csv) = @ARGV;
die "usage: $0 asn|country|geolite-country OUT.mmdb FILE.csv...\n"
  unless $kind && $kind =~ /^(asn|country|geolite-country)$/ && $out && @csv;

my %types = (
    autonomous_system_number       => 'uint32',
    autonomous_system_organization => 'utf8_string',
    country_code                   => 'utf8_string',
    country                        => 'map',
    iso_code                       => 'utf8_string',
);
my $tree = MaxMind::DB::Writer::Tree->new(
    ip_version            => 6,
    record_size           => 28,
    database_type         => $kind eq 'asn' ? 'mailtrace-ASN' : 'mailtrace-Country',
    languages             => ['en'],
    description           => { en => "mailtrace $kind database built from ip-location-db" },
    map_key_type_callback => sub { $types{ $_[0] } },
    alias_ipv6_to_ipv4    => 1,
    remove_reserved_networks => 0,
);

# Splits one CSV line, honouring double quotes (organisation names contain commas).
sub fields {
    my ($line) = @_;
    my @f;
    while ($line =~ /\G(?:"((?:[^"]|"")*)"|([^,]*))(?:,|$)/g) {
        my $v = defined $1 ? $1 =~ s/""/"/gr : $2;
        push @f, $v;
        last if pos($line) >= length($line);
    }
    return @f;
}

my ($rows, $skipped) = (0, 0);
for my $file (@csv) {
    open my $in, '<:encoding(UTF-8)', $file or die "$file: $!\n";
    while (my $line = <$in>) {
        chomp $line;
        $line =~ s/\r$//;
        next if $line eq '' || $line =~ /^#/;
        my ($first, $last, @rest) = fields($line);
        my $data;
        if ($kind eq 'asn') {
            next unless defined $rest[0] && $rest[0] =~ /^\d+$/;
            $data = { autonomous_system_number => $rest[0] + 0,
                      autonomous_system_organization => $rest[1] // '' };
        } elsif ($kind eq 'country') {
            next unless defined $rest[0] && $rest[0] =~ /^[A-Z]{2}$/;
            $data = { country_code => $rest[0] };
        } else {
            next unless defined $rest[0] && $rest[0] =~ /^[A-Z]{2}$/;
            $data = { country => { iso_code => $rest[0] } };
        }
        # 2001::/32 (Teredo) and 2002::/16 (6to4) are aliases of the IPv4 tree.
        if ($first =~ /^(?:2002:|2001::|2001:0+:)/i) { $skipped++; next; }
        if (eval { $tree->insert_range($first, $last, $data); 1 }) { $rows++; }
        else { $skipped++; }
    }
    close $in;
}
open my $fh, '>:raw', "$out.tmp" or die "$out.tmp: $!\n";
$tree->write_tree($fh);
close $fh or die "$out.tmp: $!\n";
rename "$out.tmp", $out or die "$out: $!\n";
print STDERR "csv-to-mmdb: $rows rows -> $out ($skipped skipped)\n";
