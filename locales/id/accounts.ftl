# Accounts: registration, login, password, tokens, privacy rights.
form-has-errors = Ada isian yang perlu diperbaiki. Lihat pesan di bawah setiap kolom.
account-title = Akun saya
account-name = Nama
account-email = Email
account-phone = Nomor HP
account-password = Kata sandi
account-password-confirm = Ulangi kata sandi
password-hint = Minimal 10 karakter.
account-roles = Peran
account-roles-citizen = Anda terdaftar sebagai warga.
account-role-in = { $role } — { $scope }
account-notifications = Pemberitahuan
account-notification-open = Buka
account-notifications-read = Tandai semua sudah dibaca
account-manage = Kelola akun
account-export = Unduh data saya (JSON)
account-reset-in-person = Kata sandi Anda diatur ulang oleh petugas pada { $when }. Jika bukan Anda yang memintanya, segera ganti kata sandi dan hubungi Diskominfo.
account-reset-acknowledge = Saya mengerti

register-title = Daftar
register-intro = Buat akun untuk menulis kabar desa, mengikuti KIM, dan menyampaikan aspirasi.
register-contact-hint = Isi email atau nomor HP (salah satu cukup).
register-phone-hint = Nomor seluler Indonesia, misalnya 0812 3456 7890.
register-privacy-heading = Data Anda dan kegunaannya
register-privacy-name = Nama: untuk menyapa Anda dan menandai tulisan yang Anda kirim.
register-privacy-contact = Email atau nomor HP: untuk masuk ke akun dan memulihkan kata sandi.
register-privacy-password = Kata sandi: disimpan dalam bentuk hash, tidak dapat dibaca siapa pun.
register-privacy-never = Kami tidak pernah meminta NIK atau nomor KK.
register-privacy-link = Baca kebijakan privasi lengkap
register-consent = Saya telah membaca dan menyetujui kebijakan privasi.
register-submit = Daftar
register-have-account = Sudah punya akun?
register-email-taken = Email ini sudah terdaftar. Silakan masuk atau gunakan "Lupa kata sandi".
register-phone-taken = Nomor HP ini sudah terdaftar. Silakan masuk.

login-title = Masuk
login-identifier = Email atau nomor HP
login-identifier-hint = Misalnya nama@contoh.id atau 0812 3456 7890.
login-submit = Masuk
login-forgot = Lupa kata sandi?
login-no-account = Belum punya akun?
login-wrong = Email/nomor HP atau kata sandi salah.
login-locked = Akun ini dikunci sementara karena terlalu banyak percobaan gagal. Coba lagi dalam { $minutes } menit.
login-throttled-ip = Terlalu banyak percobaan dari jaringan Anda. Coba lagi dalam { $seconds } detik.

password-change-title = Ganti kata sandi
password-current = Kata sandi saat ini
password-new = Kata sandi baru
password-change-submit = Simpan kata sandi baru
password-current-wrong = Kata sandi saat ini salah.
password-changed = Kata sandi sudah diganti. Sesi di perangkat lain telah diakhiri.

forgot-title = Lupa kata sandi
forgot-intro = Masukkan email akun Anda. Kami akan mengirim tautan untuk membuat kata sandi baru, berlaku satu jam.
forgot-submit = Kirim tautan
forgot-sent = Jika email tersebut terdaftar, tautan untuk membuat kata sandi baru sudah dikirim. Periksa kotak masuk Anda.
forgot-phone-only = Mendaftar hanya dengan nomor HP? Minta pengurus KIM atau petugas Diskominfo untuk mengatur ulang kata sandi Anda secara langsung.

reset-title = Buat kata sandi baru
reset-submit = Simpan kata sandi
reset-done = Kata sandi baru sudah disimpan. Silakan masuk.
reset-token-unknown = Tautan ini tidak valid. Minta tautan baru.
reset-request-new = Minta tautan baru
error-expired_token = Tautan ini sudah kedaluwarsa. Minta tautan baru.
error-used_token = Tautan ini sudah pernah dipakai. Minta tautan baru bila perlu.

tokens-title = Token akses API
tokens-intro = Token akses pribadi dipakai aplikasi lain untuk memanggil API atas nama Anda. Perlakukan seperti kata sandi.
tokens-created = Token baru dibuat. Salin sekarang: token ini tidak akan ditampilkan lagi.
tokens-name = Nama token
tokens-name-hint = Misalnya "Bot WhatsApp KIM".
tokens-scope = Izin
tokens-scope-read = Baca saja
tokens-scope-write = Baca dan tulis
tokens-created-at = Dibuat
tokens-last-used = Terakhir dipakai
tokens-revoke = Cabut
tokens-revoked = Dicabut
tokens-new = Buat token baru
tokens-create = Buat token

delete-title = Hapus akun
delete-intro = Menghapus akun akan menghapus nama, email, nomor HP, dan kata sandi Anda. Catatan yang wajib disimpan demi akuntabilitas hanya menyimpan pengenal samaran. Tindakan ini tidak dapat dibatalkan.
delete-password = Masukkan kata sandi untuk konfirmasi
delete-submit = Hapus akun saya
delete-done = Akun Anda telah dihapus.

role-province_admin = Admin provinsi
role-regency_officer = Petugas Diskominfo kabupaten/kota
role-agency_officer = Petugas OPD
role-kim_manager = Pengurus KIM
role-kim_contributor = Anggota KIM (kontributor)
role-fact_checker = Verifikator cek fakta
role-citizen = Warga

notification-kim-sk-expired = SK { $kim_name } sudah berakhir pada { $sk_expires }. Perbarui SK agar KIM tetap terdaftar.
notification-kim-sk-expiring = SK { $kim_name } akan berakhir pada { $sk_expires }. Siapkan pembaruan SK.

mail-reset-subject = Atur ulang kata sandi Jembatan
mail-reset-body =
    Halo { $name },

    Kami menerima permintaan untuk mengatur ulang kata sandi akun Jembatan Anda.
    Buka tautan berikut dalam satu jam untuk membuat kata sandi baru:

    { $link }

    Jika Anda tidak memintanya, abaikan email ini; kata sandi Anda tidak berubah.

    Salam,
    Jembatan
