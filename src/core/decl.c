/*
 * decl.c: the built-in declaration of ASN neutrality, shown and signed when
 * an event is set up without its own text.
 *
 * The text is ours, written from the commitments such declarations make in
 * Indonesian regions (neutral service around Pemilu and Pilkada; no conflict
 * of interest, intimidation or taking sides; no campaigning; careful use of
 * social media; no money politics) and the rules behind them.  Invariants:
 * valid UTF-8, plain ASCII punctuation so every kiosk font has the glyphs,
 * far under IKR_MAX_DECL, one screen of scrolling, ending in one newline.
 * Changing it changes what new signers sign; events already set up keep the
 * text they were created with.
 */
#include "ikrar/decl.h"

static const char default_decl[] =
    "DEKLARASI NETRALITAS APARATUR SIPIL NEGARA\n"
    "\n"
    "Kami, Aparatur Sipil Negara, yaitu Pegawai Negeri Sipil dan Pegawai Pemerintah "
    "dengan Perjanjian Kerja (PPPK), bersama pegawai non-ASN yang bekerja berdasarkan "
    "perjanjian atau kontrak kerja di instansi ini, dengan sadar dan tanpa tekanan dari "
    "pihak mana pun menyatakan:\n"
    "\n"
    "1. Bersikap netral dan melayani masyarakat tanpa membeda-bedakan, baik menjelang, "
    "selama, maupun setelah Pemilihan Umum dan Pemilihan Kepala Daerah.\n"
    "\n"
    "2. Menjauhi benturan kepentingan, tidak menekan, mengintimidasi, atau mengancam rekan "
    "kerja maupun warga, dan tidak berpihak kepada pasangan calon mana pun.\n"
    "\n"
    "3. Tidak turut berkampanye; tidak mengenakan atribut partai politik atau atribut ASN "
    "dalam kegiatan kampanye; tidak mengajak atau mengerahkan pegawai lain; tidak memakai "
    "fasilitas negara untuk kepentingan politik; tidak membuat keputusan atau tindakan "
    "yang menguntungkan atau merugikan salah satu pasangan calon; serta tidak memberikan "
    "surat dukungan yang disertai salinan KTP.\n"
    "\n"
    "4. Bermedia sosial secara bijak, tidak membuat atau meneruskan ujaran kebencian dan "
    "hoaks, serta tidak menyukai atau membagikan ajakan untuk memilih calon tertentu.\n"
    "\n"
    "5. Menolak politik uang dan setiap pemberian, dalam bentuk apa pun, yang berkaitan "
    "dengan pemilihan.\n"
    "\n"
    "6. Menggunakan hak pilih kami secara bebas dan rahasia, tanpa menunjukkan pilihan "
    "kami di lingkungan kerja.\n"
    "\n"
    "7. Mendukung pengawasan netralitas oleh pimpinan, Inspektorat, dan Bawaslu, serta "
    "melaporkan pelanggaran yang kami ketahui melalui saluran resmi.\n"
    "\n"
    "Apabila kami melanggar pernyataan ini, kami siap menerima sanksi sesuai peraturan "
    "perundang-undangan, antara lain Undang-Undang Nomor 20 Tahun 2023 tentang Aparatur "
    "Sipil Negara, Peraturan Pemerintah Nomor 94 Tahun 2021 tentang Disiplin Pegawai "
    "Negeri Sipil, dan Keputusan Bersama (SKB) tentang Pedoman Pembinaan dan Pengawasan "
    "Netralitas Pegawai ASN dalam Penyelenggaraan Pemilihan Umum dan Pemilihan.\n"
    "\n"
    "Demikian deklarasi ini kami buat dengan sungguh-sungguh untuk ditaati.\n";

const char *ikr_decl_default(void)
{
    return default_decl;
}
