# Aspirasi: formulir laporan, pelacakan, linimasa.
report-new-title = Sampaikan aspirasi atau pengaduan
report-new-intro = Sampaikan saran, pengaduan, atau permintaan informasi publik kepada pemerintah. Laporan diverifikasi Diskominfo kabupaten/kota dan diteruskan ke instansi yang berwenang. Anda menerima nomor pelacakan untuk memantau tindak lanjutnya.
report-new-link = Sampaikan laporan baru
report-lookup-link = Lacak laporan dengan nomor pelacakan
report-honeypot = Jangan isi kolom ini
report-class-legend = Jenis laporan
report-class-hint = Permintaan informasi publik (UU 14/2008) dijawab PPID dalam 10 hari kerja dan memerlukan identitas pemohon.
report-class-aspirasi = Aspirasi (saran)
report-class-pengaduan = Pengaduan
report-class-permintaan-informasi = Permintaan informasi publik
report-class = Jenis
report-title = Judul
report-title-hint = Singkat dan jelas, misalnya "Jalan berlubang di depan balai desa".
report-description = Uraian
report-description-hint = Apa yang terjadi, di mana, sejak kapan, dan siapa yang terdampak.
report-category = Kategori
report-category-blank = Pilih kategori
report-region = Wilayah
report-region-hint = Kode desa/kelurahan, kecamatan, atau kabupaten/kota, misalnya 35.23.01.2001.
report-location = Titik lokasi
report-location-hint = Tidak wajib. Garis lintang dan bujur dalam derajat desimal, misalnya -6.95 dan 112.05.
report-lat = Lintang
report-lon = Bujur
report-event-date = Tanggal kejadian
report-event-date-hint = Tidak wajib.
report-attachments = Lampiran
report-attachments-hint = Foto (JPEG, PNG, WebP) atau PDF, paling banyak { $count } berkas, masing-masing paling besar { $mib } MB. Data lokasi (EXIF/GPS) pada foto dihapus.
report-attachments-count = { $count } berkas
report-attachments-too-many = Paling banyak { $count } berkas dapat dilampirkan.
report-attachment-refused = Berkas "{ $file }" tidak diterima: { $reason }
report-mode-legend = Identitas pelapor
report-mode-named = Biasa: petugas yang menangani melihat nama Anda
report-mode-anonymous = Anonim: nama Anda hanya terlihat oleh verifikator Diskominfo, tidak oleh instansi
report-mode-confidential = Rahasia: isi laporan tidak ditampilkan kepada publik
report-reporter-legend = Data pelapor
report-reporter-private = Nama dan kontak Anda tidak pernah ditampilkan kepada publik.
report-name = Nama
report-phone = Nomor HP
report-email = Email
report-contact-hint = Isi nomor HP atau email (salah satu cukup) untuk menerima kabar tindak lanjut.
report-kim = Dilaporkan melalui KIM
report-kim-self = Untuk diri sendiri
report-kim-hint = Pilih KIM Anda bila melaporkan atas nama tetangga.
report-submit = Kirim laporan
report-refused = Laporan tidak dapat diproses.
report-throttled = Terlalu banyak laporan dari jaringan ini. Coba lagi dalam { $seconds } detik.
report-contact-throttled = Nomor HP atau email ini sudah mengirim banyak laporan dalam satu jam terakhir. Coba lagi nanti.
report-lookup-title = Lacak laporan
report-lookup-intro = Masukkan nomor pelacakan yang Anda terima saat mengirim laporan.
report-tracking = Nomor pelacakan
report-tracking-hint = Contoh: ASP-35-7K4Q-9MZD.
report-lookup-submit = Lacak
report-not-found = Tidak ada laporan dengan nomor ini. Periksa kembali nomornya.
report-track-title = Laporan { $number }
report-filed = Laporan Anda sudah kami terima dan tersimpan. Nomor pelacakan Anda:
report-filed-keep = Simpan nomor ini untuk memantau tindak lanjut laporan.
report-status = Status
report-filed-at = Dikirim
report-due = Batas waktu tahap ini
report-answer-due = Batas waktu jawaban (UU 14/2008)
report-text-held = Isi laporan sedang ditinjau moderator dan belum ditampilkan.
report-text-confidential = Laporan ini rahasia: isinya tidak ditampilkan kepada publik.
report-timeline = Riwayat penanganan
report-status-baru = Baru
report-status-terverifikasi = Terverifikasi
report-status-didisposisikan = Didisposisikan
report-status-ditindaklanjuti = Ditindaklanjuti
report-status-selesai = Selesai
report-status-ditunda = Ditunda
report-status-bukan-wewenang = Bukan wewenang
report-status-diarsipkan = Diarsipkan
report-step-submit = Laporan diterima
report-step-verify = Diverifikasi
report-step-dispatch = Didisposisikan ke instansi
report-step-follow-up = Ditindaklanjuti instansi
report-step-answer = Dijawab
report-step-hold = Ditunda
report-step-resume = Dilanjutkan
report-step-not-authority = Bukan wewenang
report-step-return-to-verifier = Dikembalikan ke verifikator
report-step-archive = Diarsipkan
report-step-reopen = Dibuka kembali oleh pelapor
error-attachment_not_accepted = Berkas bukan foto (JPEG, PNG, WebP) atau PDF.
error-pdf_corrupt = Berkas PDF rusak atau tidak lengkap.
error-idempotency_key_reused = Idempotency-Key ini sudah dipakai untuk permintaan lain.
api-op-createReport = Mengirim aspirasi, pengaduan, atau permintaan informasi; nomor pelacakan dikembalikan setelah laporan tersimpan. Kirim header Idempotency-Key agar pengiriman ulang tidak menggandakan laporan.
api-op-getReport = Satu laporan menurut nomor pelacakannya: status, batas waktu, dan riwayat penanganan; tanpa identitas pelapor.
admin-nav-reports = Aspirasi
report-queue-title = Aspirasi masuk
report-queue-intro = Laporan dalam wilayah atau instansi Anda. Yang belum selesai diurutkan menurut batas waktu; yang lewat atau mendekati batas waktu ditandai.
report-queue-open = Belum selesai (menurut batas waktu)
report-queue-filter = Tampilkan
report-queue-empty = Tidak ada laporan.
report-queue-next = Halaman berikutnya
report-overdue = Lewat batas
report-due-soon = Segera
report-calendar-missing = Kalender hari libur untuk tahun { $years } belum diisi: batas waktu menghitung hari libur sebagai hari kerja. Minta admin provinsi melengkapinya.
report-public-page = Halaman pelacakan publik
report-held-notice = Laporan ini memuat kata kasar dan ditahan untuk moderasi: isinya tidak tampil kepada publik.
report-region-unconfirmed = Wilayah laporan belum dipastikan (dikirim dengan titik lokasi saja). Tetapkan wilayahnya sebelum disposisi.
report-duplicate-of = Kemungkinan duplikat dari laporan { $number } (pelapor sama, isi hampir sama dalam sehari).
report-assigned = Didisposisikan ke
report-attachment = Lampiran
report-identity-anonymous = Pelapor memilih anonim. Identitasnya hanya boleh dilihat verifikator Diskominfo kabupaten/kota, dan setiap tampilan dicatat.
report-identity-reveal = Tampilkan identitas pelapor (dicatat)
report-identity-hidden = Identitas pelapor tidak ditampilkan untuk peran Anda.
report-private-note = Catatan internal
report-public-note = Catatan untuk publik
report-note-required = wajib: jawaban atau alasan
report-steps = Tindakan
report-dispatch-to = Instansi tujuan
report-dispatch-choose = Pilih instansi
report-dispatch-hint = Yang bertanda ★ menangani kategori ini.
report-handler-suggested = ★ { $name }
report-step-done = Tindakan "{ $step }" tersimpan.
report-stale = Laporan ini baru saja diubah petugas lain. Periksa keadaannya sekarang lalu ulangi bila perlu.

# Pesan kepada pelapor (outbox).
mail-report-filed-subject = Laporan { $tracking } diterima
mail-report-filed-body =
    Laporan Anda sudah kami terima dan tersimpan dengan nomor pelacakan:

    { $tracking }

    Pantau tindak lanjutnya di tautan pribadi Anda (jangan dibagikan; dengan tautan ini Anda
    dapat menilai jawaban atau membuka kembali laporan):
    { $link }

    Simpan nomor ini. Nama dan kontak Anda tidak ditampilkan kepada publik.

    Salam,
    Jembatan — Komunitas Informasi Masyarakat
mail-report-updated-subject = Perkembangan laporan { $tracking }
mail-report-updated-body =
    Status laporan Anda { $tracking } sekarang: { $status ->
        [terverifikasi] terverifikasi oleh Diskominfo
        [didisposisikan] diteruskan ke instansi yang berwenang
        [ditunda] ditunda
        [bukan_wewenang] bukan wewenang pemerintah daerah
        [diarsipkan] diarsipkan
        [extended] jangka waktu jawaban diperpanjang 7 hari kerja
       *[other] { $status }
    }.
    { $note }

    Rinciannya: { $link }

    Salam,
    Jembatan — Komunitas Informasi Masyarakat
mail-report-answered-subject = Jawaban atas laporan { $tracking }
mail-report-answered-body =
    Instansi yang berwenang sudah menjawab laporan Anda { $tracking }:

    { $note }

    Anda dapat menilai jawaban ini atau menanggapinya dalam 10 hari kerja di { $link }

    Salam,
    Jembatan — Komunitas Informasi Masyarakat
report-list-title = Aspirasi warga
report-list-intro = Laporan warga yang terbuka untuk publik beserta status dan umurnya. Laporan rahasia tidak ditampilkan; nama dan kontak pelapor tidak pernah ditampilkan.
report-list-region-hint = kode wilayah, misalnya 35.23
report-list-all = Semua
report-list-status-terbuka = Belum selesai
report-list-status-selesai = Selesai
report-list-empty = Belum ada laporan.
report-list-prev = Halaman sebelumnya
report-age-days = { $days ->
    [0] hari ini
   *[other] { $days } hari lalu
}
report-key-link = Dengan tautan pribadi ini Anda dapat menilai jawaban atau membuka kembali laporan. Jangan bagikan:
report-rating = Penilaian pelapor
report-rated = { $rating } dari 5
report-closed = Kasus ditutup pada { $when }.
report-respond-heading = Tanggapi jawaban
report-respond-intro = Nilai jawaban instansi, atau buka kembali laporan bila belum tuntas, paling lambat { $when }. Setelah itu kasus ditutup otomatis.
report-rate-legend = Seberapa puas Anda dengan jawaban ini?
report-rate-option = { $rating ->
    [1] 1 — sangat tidak puas
    [5] 5 — sangat puas
   *[other] { $rating }
}
report-rate-comment = Komentar (tidak wajib, tampil untuk publik)
report-rate-submit = Kirim penilaian dan tutup kasus
report-reopen-comment = Mengapa belum tuntas? (wajib untuk membuka kembali)
report-reopen-submit = Buka kembali laporan
report-step-rate = Dinilai pelapor
report-step-close = Ditutup
notification-report-overdue = Laporan { $tracking } melewati batas waktu tahap penanganannya.
notification-report-unsettled = Laporan { $tracking } belum tuntas setelah 60 hari (UU 25/2009).
report-stats-title = Kinerja instansi menangani aspirasi
report-stats-intro = Untuk setiap instansi: laporan yang diterimanya, yang dijawab, tepat waktu (5 hari kerja sejak disposisi) atau terlambat, median waktu dari laporan masuk sampai dijawab, dan rata-rata penilaian pelapor.
report-stats-empty = Belum ada laporan yang didisposisikan.
report-stats-agency = Instansi
report-stats-received = Diterima
report-stats-answered = Dijawab
report-stats-on-time = Tepat waktu
report-stats-late = Terlambat
report-stats-median = Median waktu jawab
report-stats-rating = Penilaian (jumlah)
report-stats-hours = { $hours } jam
report-queue-export = Unduh CSV
admin-nav-holidays = Hari libur
admin-target-holiday = Hari libur
audit-action-holiday-put = Menetapkan hari libur
audit-action-holiday-remove = Menghapus hari libur
holidays-title = Kalender hari libur
holidays-intro = Batas waktu penanganan aspirasi dihitung dalam hari kerja: Sabtu, Minggu, hari libur nasional, dan cuti bersama dilewati. Kalender diisi dari SKB yang sudah terbit; perbaiki di sini bila pemerintah mengubahnya. Perubahan berlaku untuk batas waktu yang ditetapkan sesudahnya.
holidays-years = Tahun
holidays-year = Tahun { $year }
holidays-empty = Belum ada hari libur untuk tahun ini.
holidays-date = Tanggal
holidays-date-hint = TTTT-BB-HH, misalnya 2027-03-10.
holidays-kind = Jenis
holidays-name = Nama
holidays-remove = Hapus
holidays-add = Tambah atau perbaiki hari libur
holidays-add-submit = Simpan
holidays-done-added = Hari libur tersimpan.
holidays-done-removed = Hari libur dihapus.
holiday-kind-libur-nasional = Libur nasional
holiday-kind-cuti-bersama = Cuti bersama
weekday-0 = Senin
weekday-1 = Selasa
weekday-2 = Rabu
weekday-3 = Kamis
weekday-4 = Jumat
weekday-5 = Sabtu
weekday-6 = Minggu
report-region-set = Wilayah laporan sudah ditetapkan.
report-moderation-cleared = Laporan lolos moderasi dan tampil sesuai pilihan pelapor.
report-moderation-hint = Bila kata-kata dalam laporan ternyata bukan penghinaan, loloskan agar tampil; bila memang kasar, arsipkan dengan alasannya.
report-moderation-clear = Loloskan moderasi
report-region-correct = Tetapkan atau perbaiki wilayah
report-region-submit = Simpan wilayah
report-step-set-region = Wilayah ditetapkan
report-step-clear-moderation = Lolos moderasi
audit-action-report-set-region = Menetapkan wilayah laporan
audit-action-report-clear-moderation = Meloloskan laporan dari moderasi
report-draft-restored = Isian yang belum terkirim dipulihkan dari perangkat ini. Lampiran perlu dipilih lagi.
report-draft-offline = Tidak ada sambungan internet. Laporan disimpan di perangkat ini dan terkirim otomatis begitu sambungan kembali; jangan tutup halaman ini.
report-extended = Jangka waktu jawaban diperpanjang 7 hari kerja; pemohon diberi tahu.
report-extend = Perpanjang jangka waktu jawaban (7 hari kerja, sekali)
report-extend-notice = Pemberitahuan kepada pemohon: alasan perpanjangan
report-step-extend = Jangka waktu jawaban diperpanjang
report-step-objection = Keberatan diajukan pemohon
report-objection-filed = Pemohon mengajukan keberatan pada { $at }; atasan PPID menanggapinya paling lambat { $due }.
report-objection-heading = Ajukan keberatan
report-objection-intro = Tidak puas dengan jawaban atas permintaan informasi, atau belum dijawab setelah batas waktu? Anda berhak mengajukan keberatan kepada atasan PPID (UU 14/2008), yang wajib menanggapinya dalam 30 hari kerja.
report-objection-reason = Alasan keberatan (wajib)
report-objection-submit = Ajukan keberatan
audit-action-report-extend = Memperpanjang jangka waktu jawaban permintaan informasi
report-letter-link = Surat penyerahan kepada instansi tujuan
report-letter-title = Surat penyerahan laporan { $number }
report-letter-to = Kepada Yth.
report-letter-subject = Perihal: Penyerahan laporan warga { $number }
report-letter-opening = Bersama ini kami teruskan laporan warga yang kami terima melalui Jembatan untuk ditindaklanjuti sesuai kewenangan Saudara:
report-letter-closing = Mohon tindak lanjutnya dan kabar penanganannya kepada kami dengan menyebut nomor laporan di atas, agar dapat kami sampaikan kepada pelapor. Atas perhatian dan kerja samanya kami ucapkan terima kasih.
report-handover-no-identity = Identitas pelapor tidak disertakan. Bila diperlukan untuk penanganan, hubungi Diskominfo.
report-handover-method = Cara penyerahan
report-handover-surat = Surat
report-handover-email = Email
report-handover-langsung = Diserahkan langsung
report-handover-record = Catat bahwa laporan sudah diserahkan
report-handover-recorded = Penyerahan tercatat dan tampil di riwayat laporan.
report-lapor-link = Teruskan ke SP4N-LAPOR!
report-lapor-title = Laporan { $number } untuk SP4N-LAPOR!
report-lapor-intro = Salin isian berikut ke formulir SP4N-LAPOR! (lapor.go.id), lalu catat nomor pelacakan yang diberikan LAPOR!. Jembatan tidak terhubung langsung dengan LAPOR!.
report-lapor-tracking = Nomor pelacakan dari SP4N-LAPOR!
report-lapor-record = Catat nomor LAPOR!
report-lapor-recorded = Nomor SP4N-LAPOR! tercatat dan tampil di riwayat laporan.
report-lapor-number = Diteruskan ke SP4N-LAPOR! dengan nomor { $number }
report-step-handover = Diserahkan kepada instansi tujuan
report-step-handover-lapor = Diteruskan ke SP4N-LAPOR!
audit-action-report-handover = Menyerahkan laporan kepada badan tanpa akun
audit-action-report-handover-lapor = Meneruskan laporan ke SP4N-LAPOR!
audit-action-report-import = Mengimpor laporan beserta riwayatnya
