# Full-text search: the page /cari, the box in the site header, and the
# messages of /api/v1/search.
search-title = Cari
search-title-for = Pencarian: { $q }
search-description = Cari berita, pengumuman, agenda, program, dan produk desa dari pemerintah, KIM, dan warga.
search-intro = Cari berita, pengumuman, agenda, program, dan produk desa dari pemerintah, KIM, dan warga. Bentuk kata tidak harus sama: "pembangunan jalan" juga menemukan "membangun jalan".
search-label = Kata yang dicari
search-placeholder = Cari kabar…
search-submit = Cari
search-filters = Saring hasil
search-filter-kind = Jenis
search-filter-any-kind = Semua jenis
search-filter-topic = Topik
search-filter-any-topic = Semua topik
search-filter-region = Wilayah
search-filter-region-hint = Kode wilayah, misalnya 35.23 untuk Kabupaten Tuban; termasuk semua wilayah di dalamnya.
search-filter-from = Terbit sejak
search-filter-to = Terbit sampai
search-filter-apply = Terapkan
search-org-filter = Hanya dari { $name }
search-org-remove = hapus saringan ini
search-count = { $count } hasil
search-count-for = { $results } untuk "{ $q }"
search-empty = Tidak ada yang cocok. Coba kata lain, atau kurangi saringan.
api-op-searchContent = Pencarian teks penuh atas kabar yang terbit, paling cocok dahulu; bentuk kata tidak harus sama, dan saringannya sama dengan daftar kabar.
