# Region pages and the region API.
region-level-province = Provinsi
region-level-regency = Kabupaten/Kota
region-level-district = Kecamatan
region-level-village = Desa/Kelurahan
region-children-regencies = { $count } kabupaten/kota
region-children-districts = { $count } kecamatan
region-children-villages = { $count } desa/kelurahan
region-children-none = Tidak ada wilayah di bawahnya
region-code = Kode wilayah Kemendagri: { $code }
region-description = { $level } { $name }: informasi, KIM, dan kabar wilayah.
