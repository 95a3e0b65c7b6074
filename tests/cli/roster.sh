#!/usr/bin/env bash
# cli_roster: `ikrar roster import`, `ikrar stats` and `ikrar purge-ink` as an organiser runs
# them: a spreadsheet's CSV imported all or nothing (or skipping), its refusals with line numbers
# and exit statuses, NIP repairs reported, re-import replacing; the table of who signed per
# unit and the --missing CSV read back by sqlite3; a folder from before rosters read as it is
# by stats (read-only) and upgraded by an import; a 100,000-row roster; and the ink purge, after
# which the audit and a receipt still pass and the ink's bytes are in neither ikrar.db nor its WAL.
set -u
IKRAR=${1:?usage: tests/cli/roster.sh path/to/ikrar}
. "$(dirname "${BASH_SOURCE[0]}")/../common/harness.sh" roster

D=$T/data
printf '{"w":600,"h":300,"s":[[100,150,0,140,120,20,180,160,40],[220,110,60,260,150,80]]}\n' >"$T/ink.json"
expect 0 "init" -- "$IKRAR" init --data "$D" --event pilkada-2024 --title "Deklarasi" --kiosk aula-1 --pin 246810
expect 0 "sign a PNS" -- "$IKRAR" sign --data "$D" --name "Siti Rahmawati, S.Pd." --status PNS \
    --nip 198503302010012003 --unit "Dinas Pendidikan" --ink "$T/ink.json"
R1=$(tail -n 1 "$T/out")
expect 0 "sign a non-ASN" -- "$IKRAR" sign --data "$D" --name "Rina" --status NON-ASN --unit "Dinas Pendidikan" --ink "$T/ink.json"
expect 0 "sign someone not on the roster" -- "$IKRAR" sign --data "$D" --name "Tamu" --status NON-ASN --unit "Setda" --ink "$T/ink.json"

# --- stats before any roster ---
expect 0 "stats with no roster" -- "$IKRAR" stats --data "$D"
has out "tidak diketahui" "says expected is unknown"
has out "Dinas Pendidikan" "lists the records' units"
expect 4 "--missing with no roster" -- "$IKRAR" stats --data "$D" --missing
has err "roster import" "says to import a roster"

# --- import: all or nothing ---
# As Excel saves it for Indonesia: BOM, ';', CRLF, quotes; NIPs mangled three ways.
printf '\xef\xbb\xbfNama Lengkap;NIP;Jabatan;Unit Kerja;Jenis Pegawai\r\n' >"$T/bad.csv"
printf 'Siti Rahmawati, S.Pd.;"=""198503302010012003""";Guru;Dinas Pendidikan;PNS\r\n' >>"$T/bad.csv"
printf '"Budi; S.H.";19800101 200501 1 002;"Kepala ""Seksi""";Dinas Pendidikan;PNS\r\n' >>"$T/bad.csv"
printf 'Agus;1.99001E+17;;Dinas Kesehatan;PPPK\r\n' >>"$T/bad.csv"
printf 'Rina;;;Dinas Pendidikan;Non ASN\r\n' >>"$T/bad.csv"
printf 'Dua Kali;198001012005011002;;Dinas Kesehatan;PNS\r\n' >>"$T/bad.csv"
printf '=1+2 Formula;;;Dinas Kesehatan;NON-ASN\r\n' >>"$T/bad.csv"
expect 3 "a roster with invalid rows" -- "$IKRAR" roster import --data "$D" "$T/bad.csv"
has err "baris 4: NIP tertulis sebagai angka ilmiah (1.99001E+17)" "names the line and the mangled NIP"
has err "Format kolom NIP sebagai Teks" "says to format the column as Text"
has err "baris 6: NIP ini sudah ada di baris 3" "names the duplicate's first line"
has err "TIDAK diimpor: 2 baris" "says nothing was imported"
has err "baris 2: NIP" "reports the =\"...\" repair with its line"
has err "baris 3: NIP \"19800101 200501 1 002\" diperbaiki menjadi 198001012005011002" "reports the grouped NIP repair"
expect 0 "stats after the refused import" -- "$IKRAR" stats --data "$D"
has out "tidak diketahui" "still no roster"
expect 3 "in English" -- "$IKRAR" roster import --lang en --data "$D" "$T/bad.csv"
has err "line 4: The NIP is in scientific notation" "English refusal with the line"
has err "Format the NIP column as Text" "English advice"
has err "NOT imported: 2 rows" "English summary"

expect 0 "--skip-invalid imports the rest" -- "$IKRAR" roster import --data "$D" "$T/bad.csv" --skip-invalid
has out "Roster diimpor: 4 orang" "says how many"
has out "2 baris tidak sah dilewati" "says how many were skipped"
has err "dilewati: baris 4" "lists the skipped with their lines"
[ "$(sqlite3 "$D/ikrar.db" 'select count(*) from roster')" = 4 ] && ok || bad "4 roster rows stored"
[ "$(sqlite3 "$D/ikrar.db" 'select count(*) from record')" = 3 ] && ok || bad "records untouched"

printf 'NIP,Nama,Jabatan,Status\n198503302010012003,Siti,Guru,PNS\n' >"$T/nounit.csv"
expect 3 "a missing column" -- "$IKRAR" roster import --data "$D" "$T/nounit.csv"
has err "Unit Kerja" "names the missing column"
printf 'NIP,Nama,Unit,Status\n,"open,U,NON-ASN\n' >"$T/broken.csv"
expect 3 "a damaged CSV" -- "$IKRAR" roster import --data "$D" "$T/broken.csv"
has err "baris 2" "names the damaged line"
expect 4 "a missing file" -- "$IKRAR" roster import --data "$D" "$T/nothing.csv"
expect 4 "a missing folder" -- "$IKRAR" roster import --data "$T/nowhere" "$T/bad.csv"
expect 2 "no file" -- "$IKRAR" roster import --data "$D"
expect 2 "no subcommand" -- "$IKRAR" roster --data "$D"
[ "$(sqlite3 "$D/ikrar.db" 'select count(*) from roster')" = 4 ] && ok || bad "refused imports kept the roster"

# A 2000-character name is one refused row.
{ printf 'NIP,Nama,Unit,Status\n,'; printf 'a%.0s' $(seq 2000); printf ',U,NON-ASN\n'; } >"$T/long.csv"
expect 3 "a 2000-character name" -- "$IKRAR" roster import --data "$D" "$T/long.csv"
has err "baris 2: Nama terlalu panjang" "says the name is too long, with its line"

# What Excel and LibreOffice write besides "CSV UTF-8".
printf 'NIP;Nama;Unit Kerja;Status\r\n;Budi;U;NON-ASN\r\n;M\xfcller;U;NON-ASN\r\n' >"$T/cp1252.csv"
expect 3 "Windows-1252 is refused whole" -- "$IKRAR" roster import --data "$D" "$T/cp1252.csv" --skip-invalid
has err "bukan teks UTF-8 (baris 3: 0xFC)" "names the line and the byte"
has err "CSV UTF-8 (Comma delimited)" "says how to save it from Excel"
expect 3 "in English" -- "$IKRAR" roster import --lang en --data "$D" "$T/cp1252.csv"
has err "not UTF-8 text (line 3: 0xFC)" "English, with the line"
printf 'NIP\tNama\tUnit Kerja\tStatus\r\n\tM\xc3\xbcller\tU\tNON-ASN\r\n' | iconv -f UTF-8 -t UTF-16 >"$T/unicode.txt"
D4=$T/data4
expect 0 "init" -- "$IKRAR" init --data "$D4" --event e4 --title T --kiosk k --pin 246810
expect 0 "Excel's Unicode text (UTF-16, tabs)" -- "$IKRAR" roster import --data "$D4" "$T/unicode.txt"
[ "$(sqlite3 "$D4/ikrar.db" 'select name from roster')" = "Müller" ] && ok || bad "the name read exactly"
printf 'Daftar Pegawai;;;;\r\n;;;;\r\nNIP;Nama;Unit Kerja;Status;\r\n;Rina;U;NON-ASN;\r\n;;;;\r\n\r\n' >"$T/title.csv"
expect 0 "a title row above the header" -- "$IKRAR" roster import --data "$D4" "$T/title.csv"
[ "$(sqlite3 "$D4/ikrar.db" 'select line || name from roster')" = "4Rina" ] && ok || bad "the row and its line"
printf 'NIP;Nama;Unit Kerja;Status\r\n' >"$T/header.csv"
expect 3 "only a header" -- "$IKRAR" roster import --data "$D4" "$T/header.csv"
has err "hanya ada baris judul (baris 1)" "says so in Indonesian"
: >"$T/empty.csv"
expect 3 "an empty file" -- "$IKRAR" roster import --lang en --data "$D4" "$T/empty.csv"
has err "the file is empty" "says so in English"
[ "$(sqlite3 "$D4/ikrar.db" 'select count(*) from roster')" = 1 ] && ok || bad "refused imports kept the roster"

# Merged unit cells: LibreOffice and Excel save the unit on the first row only.
printf 'NIP;Nama;Unit Kerja;Status\r\n;A;Dinas Pendidikan;NON-ASN\r\n;B;;NON-ASN\r\n;C;;NON-ASN\r\n;D;Setda;NON-ASN\r\n' >"$T/merged.csv"
expect 0 "merged unit cells" -- "$IKRAR" roster import --data "$D4" "$T/merged.csv"
has out "2 orang tanpa Unit Kerja" "says how many have no unit"
has out "Unmerge" "and what may be the cause"
expect 0 "every row with a unit" -- "$IKRAR" roster import --data "$D4" "$T/title.csv"
if grep -q "tanpa Unit Kerja" "$T/out"; then bad "no note when no unit is empty"; else ok; fi

# A NIP column left as numbers: Excel kept 15 digits, the rest are 000.
printf 'NIP;Nama;Unit Kerja;Status\r\n198503302010012000;Siti;U;PNS\r\n198001012005011000;Budi;U;PNS\r\n' >"$T/rounded.csv"
expect 3 "NIPs Excel rounded" -- "$IKRAR" roster import --data "$D4" "$T/rounded.csv"
has err "baris 3: Tiga angka terakhir NIP" "each row with its line"
has err "2 NIP berakhir 000" "says why, once"
has err "Format kolom NIP sebagai Teks" "and what to do"
expect 3 "in English" -- "$IKRAR" roster import --lang en --data "$D4" "$T/rounded.csv"
has err "2 NIPs end in 000" "English"

# --- stats ---
expect 0 "stats" -- "$IKRAR" stats --data "$D"
grep -qE '^Dinas Pendidikan +2 +3 +1 +66\.7$' "$T/out" && ok || bad "Dinas Pendidikan: 2 of 3: $(cat "$T/out")"
grep -qE '^Dinas Kesehatan +0 +1 +1 +0\.0$' "$T/out" && ok || bad "Dinas Kesehatan: 0 of 1: $(cat "$T/out")"
grep -qE '^Jumlah +2 +4 +2 +50\.0$' "$T/out" && ok || bad "total 2 of 4: $(cat "$T/out")"
grep -qE '^Tidak terdaftar di roster +1$' "$T/out" && ok || bad "1 not on the roster: $(cat "$T/out")"
expect 0 "stats in English" -- "$IKRAR" stats --data "$D" --lang en
grep -qE '^Not on the roster +1$' "$T/out" && ok || bad "English: not on the roster"

expect 0 "--missing with ';'" -- "$IKRAR" stats --data "$D" --missing --csv-sep ';'
cp "$T/out" "$T/missing.csv"
head -n 1 "$T/missing.csv" | grep -q $'^NIP;Nama;Jabatan;Unit Kerja;Status\r$' && ok || bad "header row, CRLF: $(head -n 1 "$T/missing.csv" | od -c | head -3)"
has missing.csv "'=1+2 Formula" "a formula-looking name is neutralised"
back=$(sqlite3 :memory: -cmd '.mode csv' -cmd '.separator ;' -cmd ".import $T/missing.csv m" -cmd ".mode list" \
    "select count(*) || '|' || group_concat(Nama || '=' || Jabatan || '=' || NIP, '|') from (select * from m order by Nama)")
[ "$back" = "2|'=1+2 Formula==|Budi; S.H.=Kepala \"Seksi\"=198001012005011002" ] && ok || bad "--missing reads back: $back"
expect 2 "a bad --csv-sep" -- "$IKRAR" stats --data "$D" --missing --csv-sep tab
# What --missing writes, roster import reads: the header is one of its spellings.
D2=$T/data2
expect 0 "init a second folder" -- "$IKRAR" init --data "$D2" --event e2 --title T --kiosk k --pin 246810
expect 0 "import the --missing CSV" -- "$IKRAR" roster import --data "$D2" "$T/missing.csv"
has out "2 orang" "both rows read back"

# Re-import replaces the roster; records stay.
printf 'Name,NIP,Work unit,Status\nSiti,198503302010012003,Dinas Pendidikan,PNS\n' >"$T/small.csv"
expect 0 "re-import" -- "$IKRAR" roster import --data "$D" "$T/small.csv"
[ "$(sqlite3 "$D/ikrar.db" 'select count(*) from roster')" = 1 ] && ok || bad "the roster was replaced"
expect 0 "stats after re-import" -- "$IKRAR" stats --data "$D"
grep -qE '^Tidak terdaftar di roster +2$' "$T/out" && ok || bad "2 not on the roster now"

# --- a folder from before rosters ---
D3=$T/old
expect 0 "init" -- "$IKRAR" init --data "$D3" --event e3 --title T --kiosk k --pin 246810
expect 0 "sign" -- "$IKRAR" sign --data "$D3" --name "Lama" --status NON-ASN --unit U --ink "$T/ink.json"
sqlite3 "$D3/ikrar.db" 'DROP TABLE roster; PRAGMA user_version = 1;' && ok || bad "made a schema 1 folder"
# stats only reads: it counts the old folder as one with no roster, and leaves it at version 1.
expect 0 "stats reads it" -- "$IKRAR" stats --data "$D3"
grep -qE '^Jumlah +1 ' "$T/out" && ok || bad "1 record counted: $(tail -n 4 "$T/out")"
[ "$(sqlite3 "$D3/ikrar.db" 'PRAGMA user_version')" = 1 ] && ok || bad "stats left user_version 1"
expect 0 "roster import upgrades it" -- "$IKRAR" roster import --data "$D3" "$T/small.csv"
[ "$(sqlite3 "$D3/ikrar.db" 'PRAGMA user_version')" = 2 ] && ok || bad "user_version 2"
expect 0 "audit after the upgrade" -- "$IKRAR" audit --data "$D3"

# --- 100,000 rows ---
awk 'BEGIN {
    print "NIP;Nama;Jabatan;Unit Kerja;Status"
    for (i = 0; i < 100000; i++) {
        y = 1970 + i % 20; m = 1 + int(i / 20) % 12; d = 1 + int(i / 240) % 28; s = 1 + int(i / 6720)
        printf "%04d%02d%02d%04d01%d%03d;Pegawai Nomor %d;Staf;Unit %d;PNS\n", y, m, d, y + 22, 1 + i % 2, s, i, i % 50
    }
}' >"$T/big.csv"
start=$(date +%s.%N)
expect 0 "a 100,000-row roster" -- "$IKRAR" roster import --data "$D2" "$T/big.csv"
end=$(date +%s.%N)
has out "100000 orang" "all rows imported"
echo "roster import: 100000 rows, $(stat -c %s "$T/big.csv") bytes in $(echo "$end - $start" | bc) s"
expect 0 "stats on it" -- "$IKRAR" stats --data "$D2"
grep -qE '^Jumlah +0 +100000 ' "$T/out" && ok || bad "100000 expected: $(tail -n 4 "$T/out")"

# --- purge-ink ---
INK=$(sqlite3 "$D/ikrar.db" 'select hex(cbor) from ink limit 1')
in_files() { cat "$D/ikrar.db" "$D/ikrar.db-wal" 2>/dev/null | perl -0777 -ne "exit(index(\$_, pack('H*', '$INK')) >= 0 ? 0 : 1)"; }
[ -n "$INK" ] && in_files && ok || bad "the ink's bytes are in the files before the purge"
expect 2 "purge-ink without --yes" -- "$IKRAR" purge-ink --data "$D"
has err "3 catatan" "says how many inks it would delete"
has err "--yes" "says how to do it"
[ "$(sqlite3 "$D/ikrar.db" 'select count(*) from ink')" = 3 ] && ok || bad "nothing deleted without --yes"
expect 0 "purge-ink --yes" -- "$IKRAR" purge-ink --data "$D" --yes
has out "3 catatan" "says how many were deleted"
[ "$(sqlite3 "$D/ikrar.db" 'select count(*) from ink')" = 0 ] && ok || bad "no ink left"
if in_files; then bad "the ink's bytes are still in ikrar.db or its WAL"; else ok; fi
expect 0 "audit after the purge" -- "$IKRAR" audit --data "$D"
has out "UTUH" "the log is intact"
expect 0 "a receipt verifies after the purge" -- "$IKRAR" verify --data "$D" --text "$R1"
has out "SAH" "valid"
expect 0 "signing goes on after the purge" -- "$IKRAR" sign --data "$D" --name "Baru" --status NON-ASN --ink "$T/ink.json"
[ "$(sqlite3 "$D/ikrar.db" 'select count(*) from ink')" = 1 ] && ok || bad "a new record keeps its ink"
expect 0 "audit with one ink" -- "$IKRAR" audit --data "$D"

finish
