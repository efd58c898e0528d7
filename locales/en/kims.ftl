# The public KIM registry: KIM lists and profiles, organisation pages, and their API errors.
kims-title = KIMs in { $region }
kims-description = Community information groups (KIM) in { $region }: status, decree (SK) and members.
kims-intro = Community information groups (Komunitas Informasi Masyarakat, KIM) bridge information between government and the people of { $region }.
kims-crumb = KIMs
kims-count = { $count ->
    [one] { $count } KIM
   *[other] { $count } KIMs
}
kims-count-status = KIMs with status { $status }: { $count }
kims-empty = No KIMs are recorded here yet.
kims-filter-status = Status
kims-filter-all = All statuses
kims-filter-submit = Show
kims-pager-label = List pages
kims-pager-prev = ‹ Previous
kims-pager-next = Next ›
kims-pager-position = Page { $page } of { $pages }
kims-of-region = Other KIMs in { $region }
kims-of-district = Other KIMs in { $district } district
kims-region-heading = KIMs in this region
kims-region-link = See the list of KIMs

kim-kind = Community information group
kim-status-dibentuk = Formed
kim-status-terdaftar = Registered
kim-status-aktif = Active
kim-status-vakum = Dormant
kim-verified = Verified
kim-verified-by = Verified by { $office } { $regency }
kim-sk-missing = No SK recorded
kim-sk-valid = SK in force
kim-sk-expiring_soon = SK expiring soon
kim-sk-expired = SK expired
kim-member-count = { $count ->
    [one] { $count } member
   *[other] { $count } members
}
kim-serves = Serves
kim-profile-description = The KIM of { $village }: officers, decree (SK) and contacts.
kim-contact = Contact
kim-contact-none = No contact details listed yet.
kim-address = Address
kim-site = kim.id site
kim-email = E-mail
kim-channel-whatsapp = WhatsApp
kim-channel-instagram = Instagram
kim-channel-facebook = Facebook
kim-channel-youtube = YouTube
kim-sk-heading = Decree (SK)
kim-sk-number = SK number
kim-sk-issuer = Issued by
kim-sk-date = SK date
kim-sk-expires = In force until
kim-sk-no-expiry = No end date
kim-officers = Officers
kim-officers-none = No officers listed yet.
kim-position-ketua = Chair
kim-position-sekretaris = Secretary
kim-position-bendahara = Treasurer
kim-position-seksi = Section head
kim-position-anggota = Member

orgs-title = Offices and bodies in { $region }
orgs-description = Communications offices (Diskominfo), government agencies (OPD) and other bodies in { $region }.
orgs-crumb = Offices and bodies
orgs-count = { $count ->
    [one] { $count } office or body
   *[other] { $count } offices and bodies
}
orgs-empty = No offices or bodies are recorded here yet.
orgs-filter-kind = Kind
orgs-filter-all = All kinds
orgs-region-link = Offices and bodies in this region

org-serves = Region
org-profile-description = { $kind } in { $region }: duties and contacts.
org-categories = Areas of work
org-contact = Contact
org-contact-none = No contact details listed yet.
org-address = Address
org-phone = Telephone
org-email = E-mail
org-website = Website
org-kind-diskominfo = Communications office (Diskominfo)
org-kind-agency = Government agency (OPD)
org-kind-kim = KIM
org-kind-body = Other body
body-kind-village_office = Village office
body-kind-district_office = District office
body-kind-bumd = Regional state enterprise (BUMD)
body-kind-vertical_agency = Central government office
body-kind-state_company = State-owned company (BUMN)
work-category-kesehatan = Health
work-category-pendidikan = Education
work-category-infrastruktur = Infrastructure
work-category-kebencanaan = Disaster management
work-category-pertanian = Agriculture
work-category-ekonomi = Economy
work-category-sosial = Social affairs
work-category-kependudukan = Population and civil registration
work-category-lingkungan = Environment
work-category-keamanan = Public order and safety
work-category-pemerintahan = Governance
work-category-komunikasi = Communication and information

error-invalid_page = The page number is not valid. Use a whole number from 1.
error-invalid_cursor = The page cursor is not valid. Use the next_cursor value of the previous response.
