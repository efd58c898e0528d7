# Accounts: registration, login, password, tokens, privacy rights.
form-has-errors = Some fields need fixing. See the message under each one.
account-title = My account
account-name = Name
account-email = E-mail
account-phone = Mobile number
account-password = Password
account-password-confirm = Repeat the password
password-hint = At least 10 characters.
account-roles = Roles
account-roles-citizen = You are registered as a citizen.
account-role-in = { $role } — { $scope }
account-notifications = Notifications
account-notification-open = Open
account-notifications-read = Mark all as read
account-manage = Manage your account
account-export = Download my data (JSON)
account-reset-in-person = Your password was reset by an officer on { $when }. If you did not ask for this, change your password now and contact Diskominfo.
account-reset-acknowledge = I understand

register-title = Register
register-intro = Create an account to write village news, follow KIMs and send aspirations.
register-contact-hint = Enter an e-mail address or a mobile number (one is enough).
register-phone-hint = An Indonesian mobile number, e.g. 0812 3456 7890.
register-privacy-heading = Your data and what it is for
register-privacy-name = Name: to address you and to credit what you write.
register-privacy-contact = E-mail or mobile number: to log in and to recover your password.
register-privacy-password = Password: stored as a hash nobody can read.
register-privacy-never = We never ask for NIK or family card (KK) numbers.
register-privacy-link = Read the full privacy policy
register-consent = I have read and accept the privacy policy.
register-submit = Register
register-have-account = Already have an account?
register-email-taken = This e-mail address is already registered. Log in, or use "Forgot password".
register-phone-taken = This mobile number is already registered. Please log in.

login-title = Log in
login-identifier = E-mail or mobile number
login-identifier-hint = For example name@example.id or 0812 3456 7890.
login-submit = Log in
login-forgot = Forgot your password?
login-no-account = No account yet?
login-wrong = Wrong e-mail/mobile number or password.
login-locked = This account is locked for a while after too many failed attempts. Try again in { $minutes ->
    [one] { $minutes } minute
   *[other] { $minutes } minutes
}.
login-throttled-ip = Too many attempts from your network. Try again in { $seconds } seconds.

password-change-title = Change password
password-current = Current password
password-new = New password
password-change-submit = Save the new password
password-current-wrong = The current password is wrong.
password-changed = Your password was changed. Sessions on other devices were ended.

forgot-title = Forgot password
forgot-intro = Enter your account's e-mail address. We will send a link to set a new password, valid for one hour.
forgot-submit = Send the link
forgot-sent = If that address is registered, a link to set a new password is on its way. Check your inbox.
forgot-phone-only = Registered with a mobile number only? Ask your KIM manager or a Diskominfo officer to reset your password in person.

reset-title = Set a new password
reset-submit = Save the password
reset-done = Your new password is saved. Please log in.
reset-token-unknown = This link is not valid. Ask for a new one.
reset-request-new = Ask for a new link
error-expired_token = This link has expired. Ask for a new one.
error-used_token = This link was already used. Ask for a new one if needed.

tokens-title = API access tokens
tokens-intro = Personal access tokens let other applications call the API on your behalf. Treat them like passwords.
tokens-created = New token created. Copy it now: it will not be shown again.
tokens-name = Token name
tokens-name-hint = For example "KIM WhatsApp bot".
tokens-scope = Permission
tokens-scope-read = Read only
tokens-scope-write = Read and write
tokens-created-at = Created
tokens-last-used = Last used
tokens-revoke = Revoke
tokens-revoked = Revoked
tokens-new = Create a new token
tokens-create = Create token

delete-title = Delete account
delete-intro = Deleting your account erases your name, e-mail, mobile number and password. Records that accountability requires keep only a pseudonymous id. This cannot be undone.
delete-password = Enter your password to confirm
delete-submit = Delete my account
delete-done = Your account has been deleted.

role-province_admin = Province admin
role-regency_officer = Regency/city Diskominfo officer
role-agency_officer = Agency (OPD) officer
role-kim_manager = KIM manager
role-kim_contributor = KIM member (contributor)
role-fact_checker = Fact-checker
role-citizen = Citizen

notification-kim-sk-expired = The SK of { $kim_name } expired on { $sk_expires }. Renew it to keep the KIM registered.
notification-kim-sk-expiring = The SK of { $kim_name } expires on { $sk_expires }. Prepare its renewal.

mail-reset-subject = Reset your Jembatan password
mail-reset-body =
    Hello { $name },

    We received a request to reset the password of your Jembatan account.
    Open this link within one hour to set a new password:

    { $link }

    If you did not ask for this, ignore this e-mail; your password has not changed.

    Regards,
    Jembatan
