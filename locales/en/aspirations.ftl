# Aspirations: the report form, tracking, the timeline.
report-new-title = Send an aspiration or complaint
report-new-intro = Send a suggestion, a complaint or a request for public information to the government. Reports are verified by the regency's communication office and passed on to the responsible agency. You get a tracking number to follow them.
report-new-link = Send a new report
report-lookup-link = Track a report by its tracking number
report-honeypot = Leave this field empty
report-class-legend = Kind of report
report-class-hint = A public information request (Law 14/2008) is answered by the information officer (PPID) within 10 working days and needs the requester's identity.
report-class-aspirasi = Aspiration (suggestion)
report-class-pengaduan = Complaint
report-class-permintaan-informasi = Public information request
report-class = Kind
report-title = Title
report-title-hint = Short and clear, e.g. "Pothole in front of the village hall".
report-description = Description
report-description-hint = What happened, where, since when, and who is affected.
report-category = Category
report-category-blank = Choose a category
report-region = Region
report-region-hint = The code of a village, district or regency, e.g. 35.23.01.2001.
report-location = Location
report-location-hint = Optional. Latitude and longitude in decimal degrees, e.g. -6.95 and 112.05.
report-lat = Latitude
report-lon = Longitude
report-event-date = Date of the event
report-event-date-hint = Optional.
report-attachments = Attachments
report-attachments-hint = Photos (JPEG, PNG, WebP) or PDFs, at most { $count } files of at most { $mib } MB each. Location data (EXIF/GPS) is removed from photos.
report-attachments-count = { $count } files
report-attachments-too-many = At most { $count } files can be attached.
report-attachment-refused = The file "{ $file }" was not accepted: { $reason }
report-mode-legend = Your identity
report-mode-named = Named: the officers handling it see your name
report-mode-anonymous = Anonymous: only the communication office's verifiers see your name, not the agency
report-mode-confidential = Confidential: the report is not shown to the public
report-reporter-legend = About you
report-reporter-private = Your name and contact are never shown to the public.
report-name = Name
report-phone = Mobile number
report-email = E-mail
report-contact-hint = Give a mobile number or an e-mail address (one is enough) to receive updates.
report-kim = Filed through a KIM
report-kim-self = For myself
report-kim-hint = Choose your KIM when you file on a neighbour's behalf.
report-submit = Send report
report-refused = The report could not be processed.
report-throttled = Too many reports from this network. Try again in { $seconds } seconds.
report-contact-throttled = This mobile number or e-mail address has sent many reports in the last hour. Try again later.
report-lookup-title = Track a report
report-lookup-intro = Enter the tracking number you received when you sent the report.
report-tracking = Tracking number
report-tracking-hint = For example ASP-35-7K4Q-9MZD.
report-lookup-submit = Track
report-not-found = There is no report with this number. Check the number again.
report-track-title = Report { $number }
report-filed = Your report has been received and stored. Your tracking number:
report-filed-keep = Keep this number to follow your report.
report-status = Status
report-filed-at = Sent
report-due = Deadline of this stage
report-answer-due = Answer deadline (Law 14/2008)
report-text-held = The report is being reviewed by a moderator and is not shown yet.
report-text-confidential = This report is confidential: its text is not shown to the public.
report-timeline = Handling history
report-status-baru = New
report-status-terverifikasi = Verified
report-status-didisposisikan = Dispatched
report-status-ditindaklanjuti = In follow-up
report-status-selesai = Done
report-status-ditunda = On hold
report-status-bukan-wewenang = Not our authority
report-status-diarsipkan = Archived
report-step-submit = Report received
report-step-verify = Verified
report-step-dispatch = Dispatched to an agency
report-step-follow-up = Taken up by the agency
report-step-answer = Answered
report-step-hold = Put on hold
report-step-resume = Resumed
report-step-not-authority = Not our authority
report-step-return-to-verifier = Returned to the verifier
report-step-archive = Archived
report-step-reopen = Reopened by the reporter
error-attachment_not_accepted = The file is not a photo (JPEG, PNG, WebP) or a PDF.
error-pdf_corrupt = The PDF file is damaged or incomplete.
error-idempotency_key_reused = This Idempotency-Key was already used for another request.
api-op-createReport = Files an aspiration, complaint or information request; the tracking number is returned once the report is stored. Send an Idempotency-Key header so a retry does not file twice.
api-op-getReport = One report by its tracking number: status, deadlines and handling history; never the reporter's identity.
admin-nav-reports = Aspirations
report-queue-title = Incoming aspirations
report-queue-intro = Reports in your region or agency. Unsettled ones are ordered by deadline; those past or near their deadline are marked.
report-queue-open = Unsettled (by deadline)
report-queue-filter = Show
report-queue-empty = No reports.
report-queue-next = Next page
report-overdue = Overdue
report-due-soon = Due soon
report-calendar-missing = The holiday calendar for { $years } is empty: deadlines count holidays as working days. Ask the province admin to complete it.
report-public-page = Public tracking page
report-held-notice = This report contains abusive words and is held for moderation: its text is not shown to the public.
report-region-unconfirmed = The report's region is not confirmed yet (it came with a location only). Set its region before dispatching.
report-duplicate-of = Possibly a duplicate of report { $number } (same reporter, nearly the same text within a day).
report-assigned = Dispatched to
report-attachment = Attachment
report-identity-anonymous = The reporter chose to be anonymous. Only the regency communication office's verifiers may see who it is, and every view is logged.
report-identity-reveal = Show the reporter's identity (logged)
report-identity-hidden = The reporter's identity is not shown to your role.
report-private-note = Internal note
report-public-note = Note for the public
report-note-required = required: the answer or the reason
report-steps = Actions
report-dispatch-to = Dispatch to
report-dispatch-choose = Choose an agency
report-dispatch-hint = Those marked ★ handle this category.
report-handler-suggested = ★ { $name }
report-step-done = The action "{ $step }" was saved.
report-stale = Another officer just changed this report. Check where it stands now and repeat if needed.

# Messages to reporters (outbox).
mail-report-filed-subject = Report { $tracking } received
mail-report-filed-body =
    Your report has been received and stored with the tracking number:

    { $tracking }

    Follow it at your private link (do not share it; with it you can rate the answer or reopen
    the report):
    { $link }

    Keep this number. Your name and contact are not shown to the public.

    Regards,
    Jembatan — Community Information Groups
mail-report-updated-subject = Update on report { $tracking }
mail-report-updated-body =
    Your report { $tracking } is now: { $status ->
        [terverifikasi] verified by the communication office
        [didisposisikan] passed on to the responsible agency
        [ditunda] on hold
        [bukan_wewenang] not within the local government's authority
        [diarsipkan] archived
        [extended] the answer deadline was extended by 7 working days
       *[other] { $status }
    }.
    { $note }

    Details: { $link }

    Regards,
    Jembatan — Community Information Groups
mail-report-answered-subject = Answer to report { $tracking }
mail-report-answered-body =
    The responsible agency has answered your report { $tracking }:

    { $note }

    You can rate the answer or respond within 10 working days at { $link }

    Regards,
    Jembatan — Community Information Groups
report-list-title = Citizens' aspirations
report-list-intro = Citizens' reports open to the public, with their status and age. Confidential reports are not shown; reporters' names and contacts never are.
report-list-region-hint = a region code, e.g. 35.23
report-list-all = All
report-list-status-terbuka = Unsettled
report-list-status-selesai = Settled
report-list-empty = No reports yet.
report-list-prev = Previous page
report-age-days = { $days ->
    [0] today
    [one] yesterday
   *[other] { $days } days ago
}
report-key-link = With this private link you can rate the answer or reopen the report. Do not share it:
report-rating = The reporter's rating
report-rated = { $rating } of 5
report-closed = The case was closed on { $when }.
report-respond-heading = Respond to the answer
report-respond-intro = Rate the agency's answer, or reopen the report if it is not resolved, by { $when }. After that the case closes by itself.
report-rate-legend = How satisfied are you with this answer?
report-rate-option = { $rating ->
    [1] 1 — very dissatisfied
    [5] 5 — very satisfied
   *[other] { $rating }
}
report-rate-comment = Comment (optional, shown to the public)
report-rate-submit = Send the rating and close the case
report-reopen-comment = Why is it not resolved? (required to reopen)
report-reopen-submit = Reopen the report
report-step-rate = Rated by the reporter
report-step-close = Closed
notification-report-overdue = Report { $tracking } is past the deadline of its current stage.
notification-report-unsettled = Report { $tracking } is still unsettled after 60 days (Law 25/2009).
report-stats-title = How agencies handle aspirations
report-stats-intro = For each agency: the reports it received, answered, on time (5 working days from dispatch) or late, the median time from filing to answer, and the reporters' mean rating.
report-stats-empty = No report has been dispatched yet.
report-stats-agency = Agency
report-stats-received = Received
report-stats-answered = Answered
report-stats-on-time = On time
report-stats-late = Late
report-stats-median = Median time to answer
report-stats-rating = Rating (count)
report-stats-hours = { $hours } hours
report-queue-export = Download CSV
admin-nav-holidays = Holidays
admin-target-holiday = Holiday
audit-action-holiday-put = Set a holiday
audit-action-holiday-remove = Removed a holiday
holidays-title = Holiday calendar
holidays-intro = Deadlines for aspirations count working days: Saturdays, Sundays, national holidays and joint leave days are skipped. The calendar comes from the decrees already published; correct it here when the government changes it. Changes apply to deadlines set afterwards.
holidays-years = Years
holidays-year = Year { $year }
holidays-empty = No holidays for this year yet.
holidays-date = Date
holidays-date-hint = YYYY-MM-DD, e.g. 2027-03-10.
holidays-kind = Kind
holidays-name = Name
holidays-remove = Remove
holidays-add = Add or correct a holiday
holidays-add-submit = Save
holidays-done-added = The holiday was saved.
holidays-done-removed = The holiday was removed.
holiday-kind-libur-nasional = National holiday
holiday-kind-cuti-bersama = Joint leave day
weekday-0 = Monday
weekday-1 = Tuesday
weekday-2 = Wednesday
weekday-3 = Thursday
weekday-4 = Friday
weekday-5 = Saturday
weekday-6 = Sunday
report-region-set = The report's region was set.
report-moderation-cleared = The report passed moderation and is shown as its reporter chose.
report-moderation-hint = If the report's words are not abuse after all, clear it so it is shown; if they are, archive it with the reason.
report-moderation-clear = Clear moderation
report-region-correct = Set or correct the region
report-region-submit = Save the region
report-step-set-region = Region set
report-step-clear-moderation = Passed moderation
audit-action-report-set-region = Set a report's region
audit-action-report-clear-moderation = Cleared a report held for moderation
report-draft-restored = What you typed before was restored from this device. Choose the attachments again.
report-draft-offline = No internet connection. The report is kept on this device and is sent by itself as soon as the connection returns; keep this page open.
report-extended = The answer deadline was extended by 7 working days; the requester is told.
report-extend = Extend the answer deadline (7 working days, once)
report-extend-notice = Notice to the requester: the reason for the extension
report-step-extend = Answer deadline extended
report-step-objection = The requester objected
report-objection-filed = The requester objected on { $at }; the information officer's superior must respond by { $due }.
report-objection-heading = File an objection
report-objection-intro = Not satisfied with the answer to your information request, or no answer after the deadline? You may object to the information officer's superior (Law 14/2008), who must respond within 30 working days.
report-objection-reason = Why you object (required)
report-objection-submit = File the objection
audit-action-report-extend = Extended an information request's answer deadline
report-letter-link = Hand-over letter to the body
report-letter-title = Hand-over letter for report { $number }
report-letter-to = To
report-letter-subject = Re: hand-over of citizen report { $number }
report-letter-opening = We hereby pass on a citizen report received through Jembatan, for follow-up within your authority:
report-letter-closing = Please follow it up and tell us how it was handled, quoting the report number above, so that we can inform the reporter. Thank you for your cooperation.
report-handover-no-identity = The reporter's identity is not included. If it is needed, contact the communication office.
report-handover-method = How it was handed over
report-handover-surat = Letter
report-handover-email = E-mail
report-handover-langsung = In person
report-handover-record = Record that the report was handed over
report-handover-recorded = The hand-over was recorded and shows in the report's history.
report-lapor-link = Hand over to SP4N-LAPOR!
report-lapor-title = Report { $number } for SP4N-LAPOR!
report-lapor-intro = Copy these fields into the SP4N-LAPOR! form (lapor.go.id), then record the tracking number LAPOR! gives. Jembatan is not connected to LAPOR! directly.
report-lapor-tracking = SP4N-LAPOR! tracking number
report-lapor-record = Record the LAPOR! number
report-lapor-recorded = The SP4N-LAPOR! number was recorded and shows in the report's history.
report-lapor-number = Handed over to SP4N-LAPOR! as { $number }
report-step-handover = Handed over to the body
report-step-handover-lapor = Handed over to SP4N-LAPOR!
audit-action-report-handover = Handed a report to a body without accounts
audit-action-report-handover-lapor = Handed a report over to SP4N-LAPOR!
audit-action-report-import = Imported a report with its history
