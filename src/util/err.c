/*
 * err.c: result codes and their words, in Indonesian and English.
 *
 * One table holds every message in both languages, so nothing can be half
 * translated: a code without both texts fails the err test.  Messages may
 * name {seq}, {when} and {limit} (dates and times in the error's zone, WIB
 * unless told) and {detail}; ikr_err_format
 * puts the ikr_err's values there.
 */
#include "ikrar/err.h"

#include "ikrar/text.h"
#include "ikrar/zone.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

static const char *const texts[IKR_E_COUNT_][2] = {
    [IKR_OK] = {"Berhasil.", "Done."},

    [IKR_E_NOMEM] = {"Memori tidak cukup.", "Out of memory."},
    [IKR_E_IO] = {"Gagal membaca atau menulis berkas: {detail}",
                  "Could not read or write a file: {detail}"},
    [IKR_E_DB] = {"Basis data menolak permintaan: {detail}",
                  "The database refused the request: {detail}"},
    [IKR_E_DB_BUSY] = {"Basis data sedang dipakai proses lain terlalu lama. Coba lagi.",
                       "The database was held by another process for too long. Try again."},
    [IKR_E_DISK_FULL] = {"Penyimpanan penuh: data tidak dapat disimpan. Tidak ada yang hilang; "
                         "kosongkan ruang lalu coba lagi.",
                         "The disk is full: nothing could be saved. Nothing was lost; free some "
                         "space and try again."},
    [IKR_E_READONLY] = {"Penyimpanan hanya dapat dibaca: data tidak dapat disimpan. {detail}",
                        "The storage is read-only: nothing could be saved. {detail}"},
    [IKR_E_CRYPTO] = {"Operasi kriptografi gagal: {detail}",
                      "A cryptographic operation failed: {detail}"},
    [IKR_E_INTERNAL] = {"Kesalahan internal: {detail}", "Internal error: {detail}"},
    [IKR_E_DISPLAY] = {"Layar tidak dapat dibuka: {detail}",
                       "The screen could not be opened: {detail}"},
    [IKR_E_FONT] = {"Huruf (font) tidak ditemukan: {detail}", "No usable font was found: {detail}"},
    [IKR_E_ASSET] =
        {"Berkas bawaan ikrar tidak ditemukan. Berkasnya, lalu folder yang diperiksa: "
         "{detail}. Pasang ulang ikrar, atau arahkan IKRAR_ASSETS ke folder assets-nya",
         "A file that comes with ikrar is missing. The file, then the folders looked in: "
         "{detail}. Reinstall ikrar, or point IKRAR_ASSETS at its assets folder"},
    [IKR_E_PRINTER] = {"Struk tidak dapat dicetak: {detail}",
                       "The receipt could not be printed: {detail}"},
    [IKR_E_PRINTER_URI] = {"Alamat printer tidak dikenal: {detail} (none, file:FOLDER, "
                           "escpos:/dev/usb/lp0, escpos+tcp://HOST:PORT, cups:ANTREAN)",
                           "Unknown printer address: {detail} (none, file:DIR, "
                           "escpos:/dev/usb/lp0, escpos+tcp://HOST:PORT, cups:QUEUE)"},
    [IKR_E_CAMERA_NONE] = {"Kamera tidak ditemukan: {detail}. Pasang kamera lalu tunggu sebentar.",
                           "No camera found: {detail}. Plug a camera in and wait a moment."},
    [IKR_E_CAMERA_BUSY] = {"Kamera sedang dipakai program lain: {detail}",
                           "The camera is in use by another program: {detail}"},
    [IKR_E_CAMERA] =
        {"Kamera tidak dapat dipakai (bukan kamera, dicabut, atau berhenti mengirim gambar): "
         "{detail}",
         "The camera cannot be used (not a camera, unplugged, or it stopped sending "
         "pictures): {detail}"},
    [IKR_E_SCRIPT] = {"Skrip uji gagal: {detail}", "The test script failed: {detail}"},

    [IKR_E_EXISTS] = {"Folder ini sudah berisi kiosk ikrar: {detail}",
                      "This folder already holds an ikrar kiosk: {detail}"},
    [IKR_E_NOKIOSK] = {"Folder ini belum berisi kiosk ikrar (jalankan 'ikrar init'): {detail}",
                       "This folder holds no ikrar kiosk (run 'ikrar init'): {detail}"},
    [IKR_E_SCHEMA_NEWER] = {"Basis data dibuat oleh versi ikrar yang lebih baru.",
                            "The database was made by a newer version of ikrar."},
    [IKR_E_KEY_FILE] = {"Kunci kiosk tidak dapat dibaca: {detail}",
                        "The kiosk key could not be read: {detail}"},
    [IKR_E_KEY_PASSPHRASE] = {"Frasa sandi kunci salah atau tidak diberikan.",
                              "The key's passphrase is wrong or missing."},
    [IKR_E_KEY_MISMATCH] = {"Kunci kiosk tidak cocok dengan log di basis data. {detail}",
                            "The kiosk key does not match the log in the database. {detail}"},

    [IKR_E_META] = {"Pengaturan kiosk di basis data rusak atau hilang: {detail}",
                    "The kiosk's settings in the database are damaged or missing: {detail}"},
    [IKR_E_EVENT_ID] = {"ID acara harus 1–64 karakter dari a-z, 0-9, titik, garis bawah, "
                        "atau tanda hubung.",
                        "The event id must be 1–64 characters of a-z, 0-9, dot, underscore "
                        "or hyphen."},
    [IKR_E_KIOSK_NAME] = {"Nama kiosk harus 1–64 karakter dari A-Z, a-z, 0-9, titik, garis "
                          "bawah, atau tanda hubung, dan tidak diawali titik.",
                          "The kiosk name must be 1–64 characters of A-Z, a-z, 0-9, dot, "
                          "underscore or hyphen, not starting with a dot."},
    [IKR_E_TITLE] = {"Judul acara harus diisi, paling banyak 256 byte teks UTF-8.",
                     "The event title must be given, at most 256 bytes of UTF-8 text."},
    [IKR_E_ZONE] = {"Zona waktu harus WIB, WITA, atau WIT: {detail}",
                    "The time zone must be WIB, WITA or WIT: {detail}"},
    [IKR_E_DECL] = {"Teks deklarasi harus berisi teks UTF-8 yang sah, paling banyak 32 KiB.",
                    "The declaration must be valid UTF-8 text of at most 32 KiB."},
    [IKR_E_PIN_SHORT] = {"PIN admin harus terdiri dari 6 sampai 64 angka.",
                         "The admin PIN must be 6 to 64 digits."},
    [IKR_E_PIN_WRONG] = {"PIN salah.", "Wrong PIN."},
    [IKR_E_EVENT_CLOSED] = {"Acara ini sudah ditutup: tidak ada tanda tangan baru yang diterima.",
                            "This event is closed: no new signatures are taken."},

    [IKR_E_MAX_GAP] = {"Jeda maksimum (--max-gap) harus berupa angka dan satuan (m, h, atau d), "
                       "antara 1h dan 366d, misalnya 7d, 36h, atau 90m.",
                       "The max gap (--max-gap) must be a number and a unit (m, h or d), "
                       "between 1h and 366d, e.g. 7d, 36h or 90m."},
    [IKR_E_CLOCK_BEFORE_INIT] =
        {"Jam kiosk menunjukkan {when}, sebelum acara disiapkan ({limit}). Atur jam kiosk "
         "lalu coba lagi (menu petugas > Atur jam).",
         "The kiosk's clock says {when}, before the event was set up ({limit}). Set the "
         "kiosk's clock and try again (staff menu > Set clock)."},
    [IKR_E_CLOCK_BEFORE_LAST] =
        {"Jam kiosk menunjukkan {when}, sebelum tanda tangan terakhir (nomor {seq}, {limit}). "
         "Waktu tanda tangan tidak dapat dikoreksi kemudian: atur jam kiosk lalu coba lagi "
         "(menu petugas > Atur jam).",
         "The kiosk's clock says {when}, before the last signature (number {seq}, {limit}). A "
         "signed time can never be corrected: set the kiosk's clock and try again (staff "
         "menu > Set clock)."},
    [IKR_E_CLOCK_GAP] =
        {"Jam kiosk menunjukkan {when}, lebih dari {detail} setelah tanda tangan terakhir atau "
         "persiapan acara ({limit}). Periksa jam kiosk (menu petugas > Atur jam). Bila jamnya "
         "benar, jeda acara ini sudah lewat batas (ikrar init --max-gap): siapkan folder acara "
         "baru.",
         "The kiosk's clock says {when}, more than {detail} after the last signature or the "
         "event's set-up ({limit}). Check the kiosk's clock (staff menu > Set clock). If it "
         "is right, this event's gap is over its limit (ikrar init --max-gap): set up a new "
         "event folder."},

    [IKR_E_NAME_EMPTY] = {"Nama harus diisi.", "Please enter a name."},
    [IKR_E_NAME_LONG] = {"Nama terlalu panjang: paling banyak 128 byte.",
                         "The name is too long: at most 128 bytes."},
    [IKR_E_TEXT_UTF8] = {"Teks berisi karakter yang tidak sah (bukan UTF-8).",
                         "The text holds characters that are not valid UTF-8."},
    [IKR_E_POS_LONG] = {"Jabatan terlalu panjang: paling banyak 128 byte.",
                        "The position is too long: at most 128 bytes."},
    [IKR_E_UNIT_LONG] = {"Unit kerja terlalu panjang: paling banyak 128 byte.",
                         "The work unit is too long: at most 128 bytes."},
    [IKR_E_STATUS] = {"Status kepegawaian harus PNS, PPPK, atau NON-ASN.",
                      "The employment status must be PNS, PPPK or NON-ASN."},
    [IKR_E_NIP_REQUIRED] = {"NIP harus diisi untuk PNS dan PPPK.",
                            "A NIP is required for PNS and PPPK."},
    [IKR_E_NIP_FORBIDDEN] = {"Pegawai Non-ASN tidak memiliki NIP; kosongkan NIP.",
                             "Non-ASN staff have no NIP; leave it empty."},
    [IKR_E_NIP_LENGTH] = {"NIP harus tepat 18 angka.", "The NIP must be exactly 18 digits."},
    [IKR_E_NIP_DIGITS] = {"NIP hanya boleh berisi angka.", "The NIP may hold digits only."},
    [IKR_E_NIP_BIRTH] = {"Angka 1–8 NIP harus tanggal lahir yang sah (TTTTBBHH).",
                         "Digits 1–8 of the NIP must be a real birth date (YYYYMMDD)."},
    [IKR_E_NIP_TMT] = {"Angka 9–14 NIP harus tahun dan bulan pengangkatan (TMT) yang sah.",
                       "Digits 9–14 of the NIP must be a real year and month of appointment."},
    [IKR_E_NIP_TMT_AGE] = {"Menurut NIP ini, pengangkatan terjadi sebelum usia 18 tahun.",
                           "By this NIP, the appointment came before the age of 18."},
    [IKR_E_NIP_GENDER] = {"Angka ke-15 NIP (jenis kelamin) harus 1 atau 2.",
                          "Digit 15 of the NIP (gender) must be 1 or 2."},
    [IKR_E_NIP_SERIAL] = {"Tiga angka terakhir NIP (nomor urut) tidak boleh 000.",
                          "The last three digits of the NIP (serial) cannot be 000."},
    [IKR_E_NIP_PPPK_YEAR] = {"Angka 9–12 NIP PPPK harus tahun pengangkatan yang masuk akal.",
                             "Digits 9–12 of a PPPK NIP must be a plausible year of appointment."},
    [IKR_E_NIP_DUPLICATE] = {"NIP ini sudah menandatangani pada {when} sebagai nomor {seq}.",
                             "This NIP already signed on {when} as number {seq}."},
    [IKR_E_NIP_ELSEWHERE] = {"NIP ini sudah menandatangani di kiosk {detail} pada {when} (nomor "
                             "{seq}).",
                             "This NIP already signed at kiosk {detail} on {when} (number {seq})."},
    [IKR_E_INK_SYNTAX] = {"Berkas tanda tangan tidak terbaca: {detail}",
                          "The signature file could not be read: {detail}"},
    [IKR_E_INK_EMPTY] = {"Tanda tangan masih kosong.", "The signature is empty."},
    [IKR_E_INK_STROKES] = {"Tanda tangan harus 1–64 goresan, tidak ada yang kosong.",
                           "A signature must have 1–64 strokes, none of them empty."},
    [IKR_E_INK_POINTS] = {"Tanda tangan terlalu panjang: paling banyak 20.000 titik.",
                          "The signature is too long: at most 20,000 points."},
    [IKR_E_INK_CANVAS] = {"Ukuran kanvas tanda tangan tidak sah.",
                          "The signature canvas size is not valid."},
    [IKR_E_INK_RANGE] = {"Ada titik tanda tangan di luar kanvas.",
                         "A point of the signature lies outside its canvas."},
    [IKR_E_INK_TIME] = {"Waktu titik-titik tanda tangan tidak berurutan atau terlalu lama.",
                        "The signature's point times go backwards or run too long."},

    [IKR_E_RCPT_PREFIX] = {"Ini bukan struk ikrar (tidak diawali IK1:).",
                           "This is not an ikrar receipt (it does not start with IK1:)."},
    [IKR_E_RCPT_BASE45] = {"Struk rusak: teks QR tidak dapat diuraikan.",
                           "The receipt is damaged: its QR text cannot be decoded."},
    [IKR_E_RCPT_ZLIB] = {"Struk rusak: isi terkompresinya tidak utuh.",
                         "The receipt is damaged: its compressed content is broken."},
    [IKR_E_RCPT_COSE] = {"Struk rusak: bukan tanda tangan COSE yang utuh.",
                         "The receipt is damaged: it is not a whole COSE signature."},
    [IKR_E_RCPT_KID] = {"Struk ditandatangani oleh kunci kiosk yang tidak dikenal.",
                        "The receipt was signed by an unknown kiosk key."},
    [IKR_E_RCPT_SIG] = {"Tanda tangan struk TIDAK sah: isinya telah diubah atau dipalsukan.",
                        "The receipt's signature does NOT verify: it was altered or forged."},
    [IKR_E_RCPT_CLAIMS] = {"Struk rusak: isinya tidak lengkap atau tidak sah.",
                           "The receipt is damaged: its content is incomplete or invalid."},
    [IKR_E_RCPT_EVENT] = {"Struk ini milik acara lain: {detail}",
                          "This receipt belongs to another event: {detail}"},
    [IKR_E_RCPT_NOT_IN_LOG] = {"Catatan nomor {seq} tidak ada di log kiosk ini.",
                               "Record number {seq} is not in this kiosk's log."},
    [IKR_E_RCPT_LEAF] = {"Struk tidak cocok dengan log: catatan nomor {seq} di log berbeda.",
                         "The receipt does not match the log: record {seq} in the log differs."},
    [IKR_E_RCPT_ROOT] = {"Struk tidak cocok dengan log: isi log sampai nomor {seq} telah diubah.",
                         "The receipt does not match the log: the log up to record {seq} has "
                         "been changed."},
    [IKR_E_VKEY] = {"Kunci verifikasi tidak sah: {detail}", "Invalid verifier key: {detail}"},
    [IKR_E_IMAGE] = {"Bukan gambar PNG atau JPEG yang dapat dibaca (rusak atau terlalu besar): "
                     "{detail}",
                     "Not a readable PNG or JPEG image (damaged or too large): {detail}"},
    [IKR_E_NO_QR] = {"Tidak ada kode QR di gambar: {detail}",
                     "No QR code found in the image: {detail}"},

    [IKR_E_AUDIT_MISSING] = {"Catatan nomor {seq} hilang dari log.",
                             "Record {seq} is missing from the log."},
    [IKR_E_AUDIT_COSE] = {"Catatan nomor {seq} rusak: bukan COSE_Sign1 yang utuh.",
                          "Record {seq} is damaged: not a whole COSE_Sign1."},
    [IKR_E_AUDIT_SIG] = {"Tanda tangan catatan nomor {seq} tidak sah.",
                         "The signature of record {seq} does not verify."},
    [IKR_E_AUDIT_SEQ] = {"Catatan di posisi {seq} menyebut nomor lain: {detail}",
                         "The record at position {seq} names another number: {detail}"},
    [IKR_E_AUDIT_EVENT] = {"Catatan nomor {seq} milik acara lain: {detail}",
                           "Record {seq} belongs to another event: {detail}"},
    [IKR_E_AUDIT_LEAF] = {"Hash daun catatan nomor {seq} tidak cocok.",
                          "The leaf hash of record {seq} does not match."},
    [IKR_E_AUDIT_COLUMNS] = {"Kolom catatan nomor {seq} tidak sesuai isi bertanda tangan: {detail}",
                             "The columns of record {seq} differ from its signed claims: {detail}"},
    [IKR_E_AUDIT_INK] = {"Tinta tanda tangan catatan nomor {seq} tidak cocok dengan inkh.",
                         "The ink of record {seq} does not match its inkh."},
    [IKR_E_AUDIT_TREE] = {"Pohon Merkle yang tersimpan salah mulai catatan nomor {seq}: {detail}",
                          "The stored Merkle tree is wrong from record {seq}: {detail}"},
    [IKR_E_AUDIT_CHECKPOINT] = {"Checkpoint berukuran {seq} tidak sah: {detail}",
                                "The checkpoint of size {seq} is not valid: {detail}"},
    [IKR_E_AUDIT_DUP_NIP] =
        {"NIP pada catatan nomor {seq} sudah menandatangani sebagai nomor {detail}.",
         "The NIP of record {seq} already signed as number {detail}."},
    [IKR_E_AUDIT_KEY] =
        {"Log ini ditandatangani dengan kunci lain, bukan kunci yang diberikan: {detail}",
         "This log is signed with another key, not the one given: {detail}"},
    [IKR_E_AUDIT_EXTRA] = {"Ada data tak terduga di log setelah nomor {seq}: {detail}",
                           "Unexpected data in the log after record {seq}: {detail}"},

    [IKR_E_BUNDLE_FILE] = {"Bundel tidak lengkap atau tidak dapat dibaca: {detail}",
                           "The bundle is incomplete or cannot be read: {detail}"},
    [IKR_E_BUNDLE_CHECKPOINT] =
        {"Checkpoint bundel tidak sah untuk kunci verifikasinya: {detail}",
         "The bundle's checkpoint is not valid for its verifier key: {detail}"},
    [IKR_E_BUNDLE_LINE] = {"records.jsonl rusak pada catatan nomor {seq}: {detail}",
                           "records.jsonl is damaged at record {seq}: {detail}"},
    [IKR_E_BUNDLE_SEQ] =
        {"records.jsonl tidak berurutan: catatan nomor {seq} hilang atau tertukar ({detail}).",
         "records.jsonl is out of order: record {seq} is missing or moved ({detail})."},
    [IKR_E_BUNDLE_SIZE] = {"Jumlah catatan bundel tidak sesuai checkpoint: {detail}",
                           "The bundle's number of records differs from its checkpoint: {detail}"},
    [IKR_E_BUNDLE_ROOT] =
        {"Isi records.jsonl tidak cocok dengan checkpoint: ada catatan yang diubah.",
         "records.jsonl does not match the checkpoint: a record was changed."},
    [IKR_E_BUNDLE_CSV] = {"roster.csv tidak sesuai catatan nomor {seq}: {detail}",
                          "roster.csv does not match record {seq}: {detail}"},
    [IKR_E_MERGE_EVENT] = {"Bundel ini milik acara lain: {detail}",
                           "This bundle belongs to another event: {detail}"},
    [IKR_E_MERGE_KIOSK] =
        {"Kiosk yang sama muncul dua kali, atau bundel tidak menyebut kiosknya: {detail}",
         "The same kiosk comes twice, or a bundle names no kiosk: {detail}"},
    [IKR_E_MERGE_DUPLICATES] =
        {"duplicates.csv tidak sesuai NIP yang menandatangani lebih dari sekali: {detail}",
         "duplicates.csv does not match the NIPs that signed more than once: {detail}"},
    [IKR_E_BUNDLE_EXISTS] =
        {"Folder tujuan sudah ada: {detail}. Pilih nama folder baru; bundel lama tidak ditimpa.",
         "The destination folder already exists: {detail}. Choose a new folder; an "
         "old bundle is never overwritten."},

    [IKR_E_CSV] = {"Berkas CSV rusak pada baris {seq}: {detail}",
                   "The CSV file is damaged at line {seq}: {detail}"},

    [IKR_E_ROSTER_COLUMN] =
        {"Kolom {detail} tidak ada di baris judul roster (kolom wajib: NIP, Nama, "
         "Status, Unit Kerja).",
         "The roster's header row has no {detail} column (required: NIP, Name, "
         "Status, Work unit)."},
    [IKR_E_ROSTER_EMPTY] = {"Roster tidak berisi baris yang dapat diimpor: {detail}",
                            "The roster holds no row that can be imported: {detail}"},
    [IKR_E_ROSTER_ROWS] = {"Roster terlalu besar: paling banyak {detail} baris.",
                           "The roster is too large: at most {detail} rows."},
    [IKR_E_ROSTER_NIP_SCI] =
        {"NIP tertulis sebagai angka ilmiah ({detail}): angka-angkanya sudah hilang. "
         "Format kolom NIP sebagai Teks di spreadsheet, ketik ulang NIP-nya, lalu "
         "ekspor CSV lagi.",
         "The NIP is in scientific notation ({detail}): its digits are lost. Format "
         "the NIP column as Text in the spreadsheet, enter the NIPs again, and export "
         "the CSV again."},
    [IKR_E_ROSTER_DUP] = {"NIP ini sudah ada di baris {seq}.",
                          "This NIP is already on line {seq}."},
    [IKR_E_ROSTER_INVALID] =
        {"Roster TIDAK diimpor: {seq} baris tidak sah (lihat di atas). Perbaiki "
         "barisnya, atau pakai --skip-invalid untuk mengimpor sisanya.",
         "The roster was NOT imported: {seq} rows are invalid (see above). Fix "
         "them, or use --skip-invalid to import the rest."},
    [IKR_E_ROSTER_NONE] = {"Belum ada roster yang diimpor (jalankan 'ikrar roster import').",
                           "No roster has been imported yet (run 'ikrar roster import')."},
    [IKR_E_PURGE_BUSY] =
        {"Tinta sudah dihapus dari log, tetapi berkas basis data belum dapat dipadatkan "
         "karena dipakai proses lain (kiosk?): {detail}. Tutup kiosk lalu jalankan "
         "'ikrar purge-ink' lagi.",
         "The ink was deleted from the log, but the database file could not be "
         "compacted while another process (the kiosk?) holds it: {detail}. Close the "
         "kiosk and run 'ikrar purge-ink' again."},
    [IKR_E_ROSTER_ENCODING] =
        {"Berkas roster bukan teks UTF-8 (baris {seq}: {detail}), sehingga nama-namanya "
         "tidak dapat dibaca dengan pasti. Buka di spreadsheet lalu simpan ulang: di Excel "
         "File > Save As > \"CSV UTF-8 (Comma delimited) (*.csv)\"; di LibreOffice File > "
         "Save As > \"Text CSV (.csv)\", centang \"Edit filter settings\", Character set "
         "\"Unicode (UTF-8)\".",
         "The roster file is not UTF-8 text (line {seq}: {detail}), so its names cannot "
         "be read for certain. Open it in the spreadsheet and save it again: in Excel "
         "File > Save As > \"CSV UTF-8 (Comma delimited) (*.csv)\"; in LibreOffice File > "
         "Save As > \"Text CSV (.csv)\", tick \"Edit filter settings\", Character set "
         "\"Unicode (UTF-8)\"."},
    [IKR_E_BACKUP_EXISTS] =
        {"Tujuan cadangan sudah ada: {detail}. Cadangan tidak pernah menimpa apa pun; "
         "pilih nama folder baru.",
         "The backup's destination already exists: {detail}. A backup never overwrites "
         "anything; choose a new folder name."},

    /* issue 11, strict decoding */
    [IKR_E_RCPT_ENCODING] =
        {"Struk ditolak: tidak dikodekan persis seperti yang ditulis ikrar ({detail}).",
         "The receipt is refused: it is not encoded exactly as ikrar writes it ({detail})."},
    [IKR_E_RCPT_LIMIT] =
        {"Struk ditolak: isinya di luar batas yang dapat ditulis ikrar ({detail}).",
         "The receipt is refused: a claim is outside what ikrar writes ({detail})."},
    [IKR_E_AUDIT_ENCODING] =
        {"Catatan nomor {seq} tidak dikodekan persis seperti yang ditulis ikrar: {detail}",
         "Record {seq} is not encoded exactly as ikrar writes it: {detail}"},
    [IKR_E_AUDIT_LIMIT] =
        {"Catatan nomor {seq} memuat klaim di luar batas yang dapat ditulis ikrar: {detail}",
         "Record {seq} holds a claim outside what ikrar writes: {detail}"},
    /* issue 11, trust list */
    [IKR_E_TRUST_LIST] = {"Daftar kepercayaan acara tidak sah: {detail}",
                          "The event trust list is not valid: {detail}"},
    [IKR_E_TRUST_KIOSK] = {"Kunci kiosk ini tidak dapat dimasukkan ke daftar kepercayaan: {detail}",
                           "This kiosk key cannot go on the trust list: {detail}"},
    [IKR_E_TRUST_SAME] = {"Kunci ini sudah ada di daftar kepercayaan: {detail}",
                          "This key is already on the trust list: {detail}"},
    [IKR_E_TRUST_UNKNOWN] =
        {"Kunci kiosk ini TIDAK ada di daftar kepercayaan acara, jadi tidak terbukti "
         "dibuat oleh kiosk acara: {detail}",
         "This kiosk key is NOT on the event trust list, so nothing shows it was made by "
         "one of the event's kiosks: {detail}"},
    [IKR_E_TRUST_REVOKED] =
        {"Kiosk {detail} dicabut dari daftar kepercayaan sejak {when}: catatan dan struknya "
         "sejak saat itu tidak dipercaya.",
         "Kiosk {detail} was revoked on the trust list from {when}: its records and receipts "
         "from then on are not trusted."},
    [IKR_E_TRUST_PIN] = {"Daftar kepercayaan ini tidak boleh menggantikan yang terpasang: {detail}",
                         "This trust list may not replace the installed one: {detail}"},

    /* issue 11, a receipt against its record */
    [IKR_E_RCPT_MISMATCH] =
        {"Struk tidak cocok dengan catatannya: {detail} di struk berbeda dari catatan nomor {seq}, "
         "padahal ditandatangani kunci kiosk. Kunci kiosk mungkin telah disalahgunakan.",
         "The receipt does not match its record: its {detail} differs from record {seq}'s, yet "
         "it is signed with the kiosk's key. The kiosk key may have been misused."},
    [IKR_E_DATA_PERMS] =
        {"Folder data {detail} dapat ditulis oleh grup atau pengguna lain, sehingga siapa pun "
         "dapat mengganti log atau kuncinya; ikrar tidak memakainya. Perbaiki dengan: "
         "chmod go-w {detail} (atau chmod 700 {detail}).",
         "The data folder {detail} is writable by its group or by others, so anyone could "
         "replace the log or its key; ikrar will not use it. Fix it with: chmod go-w {detail} "
         "(or chmod 700 {detail})."},
    [IKR_E_KEY_PERMS] =
        {"Kunci kiosk {detail} dapat ditulis oleh grup atau pengguna lain, sehingga dapat "
         "diganti dengan kunci orang lain; ikrar tidak memakainya. Perbaiki dengan: "
         "chmod 600 {detail}.",
         "The kiosk key {detail} is writable by its group or by others, so it could be "
         "replaced with someone else's key; ikrar will not use it. Fix it with: "
         "chmod 600 {detail}."},
    [IKR_E_PURGE_EXPORTS] =
        {"Tinta sudah dihapus dari log, tetapi ekspor ini masih memuatnya: {detail}. "
         "Hapus folder itu, atau jalankan 'ikrar purge-ink' lagi.",
         "The ink was deleted from the log, but this export still holds it: {detail}. "
         "Delete that folder, or run 'ikrar purge-ink' again."},
    /* issue 11, rollback */
    [IKR_E_LOG_ROLLBACK] =
        {"Log kiosk ini mundur: basis data memuat lebih sedikit catatan daripada yang sudah "
         "diberi struk ({detail}). Penandatanganan ditolak agar tidak ada nomor yang dipakai dua "
         "kali. Pulihkan log dari cadangan (ikrar backup) yang memuat semua catatan.",
         "This kiosk's log went back: the database holds fewer records than were already given "
         "receipts ({detail}). Signing is refused so that no number is used twice. Restore the "
         "log from a backup (ikrar backup) that holds every record."},
    [IKR_E_LOG_DAMAGED] =
        {"Log kiosk ini rusak: {detail}. Penandatanganan ditolak. Pulihkan log dari cadangan "
         "(ikrar backup); `ikrar audit` menjelaskan kerusakannya.",
         "This kiosk's log is damaged: {detail}. Signing is refused. Restore the log from a "
         "backup (ikrar backup); `ikrar audit` explains what is wrong."},
    [IKR_E_COMMIT_UNKNOWN] =
        {"Penyimpanan gagal saat catatan ditulis ({detail}). Catatan ini mungkin tersimpan, "
         "mungkin tidak; ikrar akan memeriksanya saat log dibuka lagi. Belum ada struk: tanda "
         "tangani lagi; bila catatannya tersimpan, nomornya akan disebutkan.",
         "Storage failed while the record was written ({detail}). The record may have been "
         "saved, or may not; ikrar will check it when it next opens. No receipt was given: sign "
         "again; if the record was saved, its number will be named."},
    [IKR_E_POS_REQUIRED] = {"Jabatan wajib diisi untuk PNS dan PPPK.",
                            "Position is required for PNS and PPPK."},
    [IKR_E_UNIT_REQUIRED] = {"Unit kerja wajib diisi untuk PNS dan PPPK.",
                             "Work unit is required for PNS and PPPK."},
    /* issue 13, the hub */
    [IKR_E_HUB_CONNECT] = {"Pusat (hub) tidak dapat dihubungi: {detail}",
                           "The hub cannot be reached: {detail}"},
    [IKR_E_HUB] = {"Basis data pusat menolak perintah: {detail}",
                   "The hub's database refused: {detail}"},
    [IKR_E_HUB_DENIED] = {"Peran ini tidak diizinkan melakukannya di pusat: {detail}",
                          "This role is not allowed to do that at the hub: {detail}"},
    [IKR_E_HUB_SCHEMA] = {"Basis data ini bukan pusat ikrar (jalankan ikrar hub init): {detail}",
                          "This database is not an ikrar hub (run ikrar hub init): {detail}"},
    [IKR_E_HUB_EXISTS] = {"Pusat ini sudah dibuat dengan kunci saksi lain.",
                          "This hub was already made with another witness key."},
    [IKR_E_HUB_NO_TRUST] = {"Folder data belum memasang daftar kepercayaan acara (ikrar event); "
                            "pusat memerlukannya.",
                            "The data folder has no event trust list installed (ikrar event); "
                            "the hub needs it."},
    [IKR_E_HUB_EVENT] = {"Pusat tidak mengenal acara {detail}.", "The hub has no event {detail}."},
    [IKR_E_HUB_CONF] = {"Kiosk ini belum tergabung ke pusat (ikrar hub join): {detail}",
                        "This kiosk has not joined a hub (ikrar hub join): {detail}"},
    [IKR_E_HUB_FLAGGED] = {"Pusat menandai log kiosk ini dan tidak menggabungkannya: {detail}. "
                           "Hubungi penyelenggara.",
                           "The hub flagged this kiosk's log and merges nothing more of it: "
                           "{detail}. Call the organiser."},
    [IKR_E_HUB_COSIG] =
        {"Jawaban pusat bukan checkpoint log ini yang ditandatangani saksi: {detail}",
         "The hub's answer is not a witnessed checkpoint of this log: {detail}"},
    [IKR_E_COMMIT_FULL] =
        {"Penyimpanan penuh saat catatan ditulis. Catatan ini mungkin tersimpan, mungkin tidak; "
         "ikrar akan memeriksanya saat log dibuka lagi. Belum ada struk: kosongkan ruang, lalu "
         "tanda tangani lagi; bila catatannya tersimpan, nomornya akan disebutkan.",
         "The disk filled up while the record was written. The record may have been saved, or "
         "may not; ikrar will check it when it next opens. No receipt was given: free some "
         "space, then sign again; if the record was saved, its number will be named."},
};

void ikr_err_clear(ikr_err *e)
{
    if (e)
        memset(e, 0, sizeof *e);
}

int ikr_err_set(ikr_err *e, int code, const char *fmt, ...)
{
    if (!e || e->code != IKR_OK)
        return e && e->code != IKR_OK ? e->code : code;
    e->code = code;
    e->detail[0] = '\0';
    if (fmt) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(e->detail, sizeof e->detail, fmt, ap);
        va_end(ap);
    }
    return code;
}

int ikr_err_at(ikr_err *e, int code, int64_t seq, int64_t when)
{
    if (!e)
        return code;
    if (e->code == IKR_OK) {
        e->code = code;
        e->detail[0] = '\0';
    }
    if (e->code == code) {
        e->seq = seq;
        e->when = when;
    }
    return e->code;
}

const char *ikr_code_text(int code, int lang)
{
    if (lang != IKR_LANG_EN)
        lang = IKR_LANG_ID;
    if (code < 0 || code >= IKR_E_COUNT_ || !texts[code][lang])
        return lang == IKR_LANG_EN ? "Unknown error." : "Kesalahan tidak dikenal.";
    return texts[code][lang];
}

int ikr_code_is_refusal(int code)
{
    return code >= IKR_E_NAME_EMPTY && code <= IKR_E_INK_TIME;
}

/* Appends s to buf at *at, never past n-1 bytes. */
static void put(char *buf, size_t n, size_t *at, const char *s)
{
    while (*s && *at + 1 < n)
        buf[(*at)++] = *s++;
    buf[*at] = '\0';
}

char *ikr_err_format(const ikr_err *e, int lang, char *buf, size_t n)
{
    if (n == 0)
        return buf;
    size_t at = 0;
    buf[0] = '\0';
    const char *t = ikr_code_text(e ? e->code : IKR_E_INTERNAL, lang);
    while (*t) {
        char tmp[64];
        if (strncmp(t, "{seq}", 5) == 0) {
            snprintf(tmp, sizeof tmp, "%lld", (long long)(e ? e->seq : 0));
            put(buf, n, &at, tmp);
            t += 5;
        } else if (strncmp(t, "{when}", 6) == 0) {
            ikr_zone_format(tmp, sizeof tmp, e ? e->when : 0, e ? e->zone_min : 0, 0);
            put(buf, n, &at, tmp);
            t += 6;
        } else if (strncmp(t, "{limit}", 7) == 0) {
            ikr_zone_format(tmp, sizeof tmp, e ? e->limit : 0, e ? e->zone_min : 0, 0);
            put(buf, n, &at, tmp);
            t += 7;
        } else if (strncmp(t, "{detail}", 8) == 0) {
            /* A detail may carry outside text (a name, a file's line): never raw. */
            char esc[IKR_TEXT_ESCAPED_MAX(IKR_ERR_DETAIL)];
            ikr_text_escape_term(esc, sizeof esc, e ? e->detail : "",
                                 e ? strnlen(e->detail, sizeof e->detail) : 0);
            put(buf, n, &at, esc);
            t += 8;
        } else {
            char c[2] = {*t++, '\0'};
            put(buf, n, &at, c);
        }
    }
    /* A message that ends in an empty detail should not end in ": ". */
    while (at > 0 && (buf[at - 1] == ' ' || buf[at - 1] == ':'))
        buf[--at] = '\0';
    if (at > 0 && buf[at - 1] != '.' && buf[at - 1] != ')')
        put(buf, n, &at, ".");
    return buf;
}
